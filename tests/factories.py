"""factory_boy factories. Every translated field gets both `_ja` and `_zh_hans`."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from clair_portal.foundation.fiscal import fiscal_year_of
from clair_portal.foundation.models import (
    BrochureEdition,
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
    KeyFigure,
    Photo,
    Program,
    ProgramIntro,
    StaffMember,
)
from clair_portal.news.models import NewsItem, Publication
from exchange.models import CookingEvent, CookingMenuItem, LgotpPlacement, TravelExpo
from experts.models import ExpertDispatch, ExpertField
from jet.models import JetFigure, Position, ReturneeGathering
from seminars.models import Seminar, SeminarOrganiser, SeminarProgrammeDay
from support_requests.models import (
    CLOSED_STATUSES,
    RequestKind,
    SupportExample,
    SupportRequest,
    SupportService,
    WaitingFor,
)

# Far from the brochures' data, so that factories never collide with it.
FISCAL_YEAR = 2040


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True
    password = factory.django.Password("staff-password")


# Places ----------------------------------------------------------------------------


class JapanesePrefectureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JapaneseLocalGovernment

    code = factory.Sequence(lambda n: f"9{n:05d}")
    kind = JapaneseLocalGovernment.Kind.PREFECTURE
    name_ja = factory.Sequence(lambda n: f"試験県{n}")
    name_zh_hans = factory.Sequence(lambda n: f"试验县{n}")


class JapaneseCityFactory(JapanesePrefectureFactory):
    kind = JapaneseLocalGovernment.Kind.CITY
    prefecture = factory.SubFactory(JapanesePrefectureFactory)
    name_ja = factory.Sequence(lambda n: f"試験市{n}")
    name_zh_hans = factory.Sequence(lambda n: f"试验市{n}")


class ChineseProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChineseLocalGovernment

    code = factory.Sequence(lambda n: f"8{n:05d}")
    kind = ChineseLocalGovernment.Kind.PROVINCE
    name_ja = factory.Sequence(lambda n: f"試験省{n}")
    name_zh_hans = factory.Sequence(lambda n: f"试验省{n}")


class ChineseCityFactory(ChineseProvinceFactory):
    kind = ChineseLocalGovernment.Kind.CITY
    province = factory.SubFactory(ChineseProvinceFactory)
    name_ja = factory.Sequence(lambda n: f"試験城市{n}")
    name_zh_hans = factory.Sequence(lambda n: f"试验城市{n}")


# The office ------------------------------------------------------------------------


class BrochureEditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrochureEdition
        django_get_or_create = ["year"]

    year = factory.Sequence(lambda n: 2100 + n)
    title_ja = factory.LazyAttribute(lambda edition: f"{edition.year}年度版")
    title_zh_hans = factory.LazyAttribute(lambda edition: f"{edition.year}年度版")
    source_language = "ja"
    overview_ja = "北京事務所の概要"
    overview_zh_hans = "北京事务所概况"


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    metric = KeyFigure.Metric.SISTER_CITIES
    value = 400
    as_of = datetime.date(2040, 4, 1)
    edition = factory.SubFactory(BrochureEditionFactory)
    staff_note_ja = "担当者用の注記"
    staff_note_zh_hans = "工作人员用备注"


class ProgramIntroFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramIntro

    edition = factory.SubFactory(BrochureEditionFactory)
    program = Program.SEMINARS
    title_ja = "試験事業"
    title_zh_hans = "试验项目"
    body_ja = factory.Sequence(lambda n: f"試験の紹介文{n}")
    body_zh_hans = factory.Sequence(lambda n: f"试验介绍{n}")
    public_note_ja = ""
    public_note_zh_hans = ""
    staff_note_ja = ""
    staff_note_zh_hans = ""


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    edition = factory.SubFactory(BrochureEditionFactory)
    role = StaffMember.Role.RESEARCHER
    name_ja = factory.Sequence(lambda n: f"職員{n}")
    name_zh_hans = factory.Sequence(lambda n: f"职员{n}")
    seconded_from_ja = "試験県"
    seconded_from_zh_hans = "试验县"
    message_ja = "よろしくお願いします。"
    message_zh_hans = "请多关照。"


class PhotoFactory(factory.django.DjangoModelFactory):
    """A photo whose image is not scanned yet; pass `subject=`."""

    class Meta:
        model = Photo
        exclude = ["subject"]

    subject = factory.SubFactory("tests.factories.SeminarFactory")
    content_type = factory.LazyAttribute(
        lambda photo: ContentType.objects.get_for_model(photo.subject)
    )
    object_id = factory.LazyAttribute(lambda photo: photo.subject.pk)
    caption_ja = factory.Sequence(lambda n: f"写真{n}")
    caption_zh_hans = factory.Sequence(lambda n: f"照片{n}")

    class Params:
        # With its image uploaded (in MEDIA_ROOT): public pages draw it.
        uploaded = factory.Trait(
            image=factory.django.ImageField(
                width=64, height=48, format="JPEG", filename="photo.jpg"
            )
        )


# Programs --------------------------------------------------------------------------


class SeminarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seminar

    edition = factory.Sequence(lambda n: 100 + n)
    fiscal_year = FISCAL_YEAR
    host_city = factory.SubFactory(ChineseCityFactory)
    theme_ja = factory.Sequence(lambda n: f"試験テーマ{n}")
    theme_zh_hans = factory.Sequence(lambda n: f"试验主题{n}")
    participants_japan = 60
    participants_china = 90
    report_ja = "報告"
    report_zh_hans = "报告"
    staff_note_ja = "担当者用の注記"
    staff_note_zh_hans = "工作人员用备注"


class SeminarOrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeminarOrganiser

    seminar = factory.SubFactory(SeminarFactory)
    role = SeminarOrganiser.Role.ORGANISER
    name_ja = "自治体国際化協会（クレア）"
    name_zh_hans = "自治体国际化协会（CLAIR）"


class SeminarProgrammeDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeminarProgrammeDay

    seminar = factory.SubFactory(SeminarFactory)
    date = factory.Sequence(
        lambda n: datetime.date(2040, 10, 1) + datetime.timedelta(n)
    )
    description_ja = "開会式、基調講演"
    description_zh_hans = "开幕式、主旨演讲"


class SupportServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportService

    code = factory.Sequence(lambda n: f"service-{n}")
    name_ja = factory.Sequence(lambda n: f"サービス{n}")
    name_zh_hans = factory.Sequence(lambda n: f"服务{n}")


class SupportRequestFactory(factory.django.DjangoModelFactory):
    """Not translated: a request is written once, in the requester's language."""

    class Meta:
        model = SupportRequest

    reference = factory.Sequence(lambda n: f"T{FISCAL_YEAR}-{n:04d}")
    kind = RequestKind.ACTIVITY_SUPPORT
    status = SupportRequest.Status.RECEIVED
    fiscal_year = FISCAL_YEAR
    government = factory.SubFactory(JapaneseCityFactory)
    department = "国際課"
    contact_name = factory.Sequence(lambda n: f"担当者{n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.jp")
    phone = "03-0000-0000"
    purpose = "友好交流"
    # As support_request_change_status leaves it: a closed request waits for
    # nobody until its requester writes again.
    waiting_for = factory.LazyAttribute(
        lambda request: (
            WaitingFor.NOBODY if request.status in CLOSED_STATUSES else WaitingFor.DESK
        )
    )


class SupportExampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportExample

    fiscal_year = FISCAL_YEAR
    title_ja = factory.Sequence(lambda n: f"支援事例{n}")
    title_zh_hans = factory.Sequence(lambda n: f"协助事例{n}")
    places_ja = "北京市"
    places_zh_hans = "北京市"
    participants_ja = "市長ほか"
    participants_zh_hans = "市长等"
    support_content_ja = "アポイント取得"
    support_content_zh_hans = "预约"


class JetFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JetFigure

    edition = factory.SubFactory(BrochureEditionFactory)
    fiscal_year = factory.Sequence(lambda n: FISCAL_YEAR + n)
    position = Position.CIR
    serving = 10
    new = 3
    cumulative = 500


class ReturneeGatheringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturneeGathering

    fiscal_year = FISCAL_YEAR
    title_ja = factory.Sequence(lambda n: f"JET経験者交流会{n}")
    title_zh_hans = factory.Sequence(lambda n: f"JET归国人员交流会{n}")
    city = factory.SubFactory(ChineseCityFactory)
    description_ja = "交流会"
    description_zh_hans = "交流会"


class LgotpPlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LgotpPlacement

    fiscal_year = FISCAL_YEAR
    host = factory.SubFactory(JapanesePrefectureFactory)
    sending_government = factory.SubFactory(ChineseProvinceFactory)
    training_fields_ja = "観光、国際交流"
    training_fields_zh_hans = "旅游、国际交流"
    staff_note_ja = "担当者用の注記"
    staff_note_zh_hans = "工作人员用备注"


class TravelExpoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TravelExpo

    start_date = datetime.date(2040, 6, 1)
    fiscal_year = FISCAL_YEAR
    name_ja = factory.Sequence(lambda n: f"旅行博{n}")
    name_zh_hans = factory.Sequence(lambda n: f"旅游博览会{n}")
    venue_ja = "国家会議センター"
    venue_zh_hans = "国家会议中心"
    city = factory.SubFactory(ChineseCityFactory)


class CookingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CookingEvent

    start_date = datetime.date(2040, 9, 1)
    fiscal_year = FISCAL_YEAR
    city = factory.SubFactory(ChineseCityFactory)


class CookingMenuItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CookingMenuItem

    event = factory.SubFactory(CookingEventFactory)
    name_ja = "肉じゃが"
    name_zh_hans = "土豆炖肉"


class ExpertFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertField

    name_ja = factory.Sequence(lambda n: f"分野{n}")
    name_zh_hans = factory.Sequence(lambda n: f"领域{n}")


class ExpertDispatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertDispatch

    start_date = datetime.date(2040, 11, 1)
    fiscal_year = FISCAL_YEAR
    destination = factory.SubFactory(ChineseCityFactory)
    field = factory.SubFactory(ExpertFieldFactory)
    subject_ja = factory.Sequence(lambda n: f"環境保全{n}")
    subject_zh_hans = factory.Sequence(lambda n: f"环境保护{n}")
    expert_ja = "元試験県職員"
    expert_zh_hans = "原试验县职员"


class NewsItemFactory(factory.django.DjangoModelFactory):
    """A published news item, visible since an hour ago."""

    class Meta:
        model = NewsItem

    title_ja = factory.Sequence(lambda n: f"事務所からのお知らせ{n}")
    title_zh_hans = factory.Sequence(lambda n: f"事务所通知{n}")
    summary_ja = "概要です。"
    summary_zh_hans = "这是摘要。"
    body_ja = "お知らせの本文です。"
    body_zh_hans = "这是新闻正文。"
    category = NewsItem.Category.OFFICE
    status = NewsItem.Status.PUBLISHED
    published_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(hours=1)
    )
    original_language = "ja"


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    title_ja = factory.Sequence(lambda n: f"CLAIR REPORT 第{n}号")
    title_zh_hans = factory.Sequence(lambda n: f"CLAIR REPORT 第{n}期")
    summary_ja = "中国の地方行政についての報告です。"
    summary_zh_hans = "关于中国地方行政的报告。"
    kind = Publication.Kind.REPORT
    date = datetime.date(2040, 6, 1)
    fiscal_year = factory.LazyAttribute(lambda p: fiscal_year_of(p.date))
    file = factory.django.FileField(filename="report.pdf", data=b"%PDF-1.4 report")
    is_public = True
