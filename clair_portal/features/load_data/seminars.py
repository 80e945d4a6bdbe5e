"""Seminars numbered after the highest, in the fiscal years after the newest;
two of every eighteen with organisers, a programme and photos, as editions 17
and 18 have."""

import datetime

from django.db.models import Max

from clair_portal.foundation.fiscal import fiscal_year_bounds, fiscal_year_of
from clair_portal.foundation.models import ChineseLocalGovernment
from seminars.models import Seminar, SeminarOrganiser, SeminarProgrammeDay

from .core import GENERATED_NOTE, LAST_FISCAL_YEAR, Batch, both, tr
from .places import chinese_names
from .words import TOPICS

UNIT = {Seminar: 18, SeminarOrganiser: 16, SeminarProgrammeDay: 6}
PHOTOS_PER_UNIT = {Seminar: 10}
# Seminars get fiscal years after the newest one, over this many years.
SEMINAR_YEARS = 10
# Of the 18 seminars of a unit, these positions get organisers (8 each), a
# programme (3 days each) and photos (5 each).
DETAILED_SEMINARS = (8, 17)
THEMES = [
    ("{a}と{b}による持続的な地方の発展について", "以{a}与{b}促进地方可持续发展"),
    ("{a}を通じた日中地域間交流の推進", "通过{a}推进中日地方交流"),
    ("{a}における地方政府の役割", "{a}中地方政府的作用"),
    ("{a}と{b}の両立に向けた日中地方の協力", "实现{a}与{b}协调发展的中日地方合作"),
]
PHOTOS = [
    ("本会議の様子", "正式会议现场"),
    ("基調講演", "主旨演讲"),
    ("パネルディスカッション", "小组讨论"),
    ("行政視察", "行政考察"),
    ("参加者の記念撮影", "参会人员合影"),
]
SIGHTS = [
    ("産業園区", "产业园区"),
    ("博物館", "博物馆"),
    ("農業モデル区", "农业示范区"),
    ("歴史文化街区", "历史文化街区"),
    ("ハイテク企業", "高新技术企业"),
    ("都市計画展示館", "城市规划展览馆"),
]
PLENARY = (
    "本会議（基調講演、特別講演、パネルディスカッション等）、"
    "JETプログラム経験者意見交換会",
    "正式会议（主旨演讲、特别演讲、小组讨论等）、JET项目归国人员座谈会",
)
_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """17 -> 十七, 105 -> 一百零五 (as the Chinese brochure numbers editions)."""
    if not 0 < n < 10000:
        return str(n)
    out, started, zero = "", False, False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = started
            continue
        if zero:
            out += "零"
            zero = False
        if not (value == 10 and digit == 1 and not started):
            out += _DIGITS[digit]
        out += unit
        started = True
    return out


def generate(batch: Batch) -> None:
    seminars = batch.bulk_create(new_seminars(batch))
    cities = {c.obj.pk: c for c in batch.places.chinese_cities}
    detailed = [s for i, s in enumerate(seminars) if i % 18 in DETAILED_SEMINARS]
    organisers, programme = [], []
    for seminar in detailed:
        city = cities[seminar.host_city_id]
        organisers += seminar_organisers(seminar, city)
        programme += programme_days(batch, seminar, city)
    batch.bulk_create(organisers)
    batch.bulk_create(programme)

    def caption(seminar, n):
        return both(
            ("{x}（第{n}回・{c}）", "{x}（第{cn}届・{c}）"),
            x=PHOTOS[(n - 1) % len(PHOTOS)],
            n=seminar.edition,
            cn=chinese_numeral(seminar.edition),
            c=cities[seminar.host_city_id].short,
        )

    batch.add_photos(detailed, PHOTOS_PER_UNIT[Seminar], caption)


def new_seminars(batch: Batch) -> list[Seminar]:
    rng = batch.rng
    count = batch.count(UNIT[Seminar])
    last = Seminar.objects.aggregate(e=Max("edition"), fy=Max("fiscal_year"))
    first_edition = (last["e"] or 0) + 1
    first_year = (last["fy"] or LAST_FISCAL_YEAR) + 1
    start, _ = fiscal_year_bounds(first_year)
    _, end = fiscal_year_bounds(first_year + SEMINAR_YEARS - 1)
    days = sorted(rng.randint(0, (end - start).days - 2) for _ in range(count))
    seminars = []
    for i, offset in enumerate(days):
        city = rng.choice(batch.places.chinese_cities)
        a, b = rng.sample(TOPICS, 2)
        begin = start + datetime.timedelta(days=offset)
        seminars.append(
            seminar(
                edition=first_edition + i,
                city=city,
                theme=both(rng.choice(THEMES), a=a, b=b),
                begin=begin,
                participants=(rng.randint(40, 90), rng.randint(60, 180)),
            )
        )
    return seminars


def seminar(*, edition: int, city, theme, begin, participants) -> Seminar:
    finish = begin + datetime.timedelta(days=2)
    japan, china = participants
    report = (
        f"{begin.year}年{begin.month}月{begin.day}日から{finish.month}月{finish.day}日まで、"
        f"{city.full[0]}において「{theme[0]}」をテーマに第{edition}回日中地域間交流推進セミナーを"
        f"開催しました。自治体国際化協会が主催し、日中双方の地方政府関係者等{japan + china}人"
        f"（日本側{japan}人、中国側{china}人）が参加しました。",
        f"{begin.year}年{begin.month}月{begin.day}日至{finish.month}月{finish.day}日，"
        f"第{chinese_numeral(edition)}届中日地方交流促进研讨会在{city.full[1]}举行，"
        f"主题为“{theme[1]}”。研讨会由自治体国际化协会（CLAIR）主办，中日双方地方政府"
        f"相关代表等{japan + china}人（日方{japan}人、中方{china}人）参加。",
    )
    return Seminar(
        edition=edition,
        fiscal_year=fiscal_year_of(begin),
        start_date=begin,
        end_date=finish,
        host_city=city.obj,
        participants_japan=japan,
        participants_china=china,
        **tr("theme", theme),
        **tr("report", report),
        **tr("staff_note", GENERATED_NOTE),
    )


def seminar_organisers(seminar: Seminar, city) -> list[SeminarOrganiser]:
    Role = SeminarOrganiser.Role
    province = city.obj.province
    foreign_affairs = (
        chinese_names(province).name
        if province and province.kind == ChineseLocalGovernment.Kind.PROVINCE
        else city.name
    )
    government = both(("{c}人民政府", "{c}人民政府"), c=city.name)
    names = [
        (Role.ORGANISER, ("自治体国際化協会（クレア）", "自治体国际化协会（CLAIR）")),
        (
            Role.CO_ORGANISER,
            ("中華人民共和国外交部外事管理司", "中华人民共和国外交部外事管理司"),
        ),
        (
            Role.CO_ORGANISER,
            both(("{p}人民政府外事弁公室", "{p}人民政府外事办公室"), p=foreign_affairs),
        ),
        (Role.CO_ORGANISER, government),
        (Role.HOST, government),
        (Role.SUPPORTER, ("中国日本友好協会", "中国日本友好协会")),
        (Role.SUPPORTER, ("在中国日本国大使館", "日本国驻华大使馆")),
        (
            Role.SUPPORTER,
            both(
                (
                    "日本貿易振興機構（ジェトロ）{c}代表処",
                    "日本贸易振兴机构（JETRO）{c}代表处",
                ),
                c=city.short,
            ),
        ),
    ]
    return [
        SeminarOrganiser(
            seminar=seminar, role=role, position=position, **tr("name", name)
        )
        for position, (role, name) in enumerate(names, start=1)
    ]


def programme_days(batch: Batch, seminar: Seminar, city) -> list[SeminarProgrammeDay]:
    days = [
        both(
            (
                "在中国自治体事務所連絡会議、{c}主催レセプション",
                "日本地方政府在华代表处联络会议、{c}主办欢迎晚宴",
            ),
            c=city.full,
        ),
        PLENARY,
        both(("行政視察（{s}）", "行政考察（{s}）"), s=batch.rng.choice(SIGHTS)),
    ]
    return [
        SeminarProgrammeDay(
            seminar=seminar,
            date=seminar.start_date + datetime.timedelta(days=n),
            **tr("description", description),
        )
        for n, description in enumerate(days)
    ]
