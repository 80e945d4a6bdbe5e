"""Load data: N times the brochures' volume of realistic bilingual records.

`generate_load_data(scale=N)` adds, on top of what the database holds (normally
the brochures), N times as many records as the two brochures publish, for every
program. Used by `manage.py generate_load_data` and by the query-count tests,
which compare each public page at 1x and 20x data.

- Every translated field gets both `_ja` and `_zh_hans`, composed from lists of
  real words and from the database's own places (第{n}回 … / 第{n}届 …).
- Dates fall in their fiscal years (`fiscal_year_of`), ends are never before
  starts, and every database constraint holds.
- Figures kept per brochure edition (key figures, unique per metric and edition;
  JET figures, unique per edition, fiscal year and position; offices in China)
  go to NEW BrochureEdition rows, with years counted down from the oldest
  existing edition (2018, 2017, ...), so the newest real edition stays the
  newest and the pages' headline figures stay the published ones. Their figures
  agree with each other as check_data expects (JET totals are the sum of the
  posts, placements add up to the ALTs serving, cumulative figures never fall,
  offices per location add up to the key figure).
- Support requests get references `LOAD-<fiscal year>-<number>`: a prefix no
  real reference uses, numbered after the highest one already there.
- Not idempotent: every run adds another batch (new seminar numbers, new
  edition years, new references), so two runs at scale N hold 2N batches.
- Deterministic: the same seed on the same database gives the same records.
  The support requests' tracking tokens are derived from the seed and the
  reference, so load data must never go into a production database.
"""

import base64
import datetime
import hashlib
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Max, Min
from django.utils import timezone, translation

from clair_portal.foundation.fiscal import fiscal_year_bounds, fiscal_year_of
from clair_portal.foundation.models import (
    BrochureEdition,
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
    KeyFigure,
    Photo,
)
from exchange.models import (
    ChinaOfficeCount,
    CookingEvent,
    CookingMenuItem,
    ExecutiveSeminar,
    LgotpPlacement,
    LivestreamPromotion,
    MediaCollaboration,
    TravelExpo,
)
from experts.models import ExpertDispatch, ExpertField
from jet.models import JetFigure, JetPlacement, Position, ReturneeGathering
from seminars.models import Seminar, SeminarOrganiser, SeminarProgrammeDay
from support_requests.models import (
    RequestKind,
    SupportExample,
    SupportRequest,
    SupportService,
)

DEFAULT_SEED = 2019
BATCH_SIZE = 1000
REFERENCE_PREFIX = "LOAD"
# Events fall in these fiscal years; support requests in the portal's years.
FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 2005, 2025
FIRST_REQUEST_YEAR, LAST_REQUEST_YEAR = 2019, 2026
# Seminars get fiscal years after the newest one, over this many years.
SEMINAR_YEARS = 10

# Support requests per unit: activity support, overseas research, expert
# dispatch. The first two are the requests the brochures report handling (76 +
# 26 and 3); the expert requests, as many as the dispatches they list.
REQUESTS_PER_UNIT = (102, 3, 6)
# The brochures' volume: how many records one unit of scale adds. These are the
# counts the two brochures hold.
UNIT = {
    BrochureEdition: 2,
    KeyFigure: 10,
    Seminar: 18,
    SeminarOrganiser: 16,
    SeminarProgrammeDay: 6,
    SupportRequest: sum(REQUESTS_PER_UNIT),
    SupportExample: 6,
    JetFigure: 8,
    JetPlacement: 11,
    ReturneeGathering: 2,
    ChinaOfficeCount: 10,
    LgotpPlacement: 7,
    ExecutiveSeminar: 1,
    TravelExpo: 3,
    CookingEvent: 9,
    CookingMenuItem: 30,
    LivestreamPromotion: 6,
    MediaCollaboration: 7,
    ExpertDispatch: 6,
    Photo: 46,
}
# Of which: photos per subject (the brochures' photos, less the office's QR
# code and the published support figures' photos, which get no new subjects).
PHOTOS_PER_UNIT = {
    BrochureEdition: 8,
    Seminar: 10,
    SupportExample: 2,
    ReturneeGathering: 2,
    LgotpPlacement: 1,
    ExecutiveSeminar: 1,
    TravelExpo: 3,
    CookingEvent: 7,
    LivestreamPromotion: 3,
    MediaCollaboration: 2,
    ExpertDispatch: 7,
}
# Of the 18 seminars of a unit, these positions get organisers (8 each), a
# programme (3 days each) and photos (5 each), as editions 17 and 18 have.
DETAILED_SEMINARS = (8, 17)

# Words ------------------------------------------------------------------------
# (Japanese, Simplified Chinese) pairs.

TOPICS = [
    ("観光振興", "旅游振兴"),
    ("環境保全", "环境保护"),
    ("高齢化への対応", "应对老龄化"),
    ("地域経済の活性化", "地方经济振兴"),
    ("防災・減災", "防灾减灾"),
    ("青少年交流", "青少年交流"),
    ("農村振興", "乡村振兴"),
    ("行政のデジタル化", "行政数字化"),
    ("脱炭素社会の実現", "实现低碳社会"),
    ("文化交流", "文化交流"),
    ("スポーツ交流", "体育交流"),
    ("医療・介護の連携", "医疗与护理合作"),
    ("スマートシティの建設", "智慧城市建设"),
    ("伝統文化の継承", "传统文化的传承"),
    ("新産業の創出", "新产业培育"),
    ("企業誘致", "招商引资"),
    ("人材育成", "人才培养"),
    ("循環型社会の形成", "循环型社会建设"),
    ("食の安全", "食品安全"),
    ("公共交通の整備", "公共交通建设"),
]
SEMINAR_THEMES = [
    ("{a}と{b}による持続的な地方の発展について", "以{a}与{b}促进地方可持续发展"),
    ("{a}を通じた日中地域間交流の推進", "通过{a}推进中日地方交流"),
    ("{a}における地方政府の役割", "{a}中地方政府的作用"),
    ("{a}と{b}の両立に向けた日中地方の協力", "实现{a}与{b}协调发展的中日地方合作"),
]
SEMINAR_PHOTOS = [
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
SURNAMES = [
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村",
    "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上",
]  # fmt: skip
GIVEN_NAMES = [
    "翔太", "美咲", "大輔", "陽子", "健一", "直美", "拓也", "由美",
    "誠", "恵子", "和也", "さくら", "浩二", "明美",
]  # fmt: skip
CHINESE_NAMES = ["王 芳", "李 娜", "张 伟", "刘 洋", "陈 静", "杨 帆", "赵 磊", "周 婷"]
DEPARTMENTS = [
    ("国際課", "国际课"),
    ("観光交流課", "观光交流课"),
    ("商工労働部国際経済課", "商工劳动部国际经济课"),
    ("総務部国際交流課", "总务部国际交流课"),
    ("企画振興部国際戦略課", "企划振兴部国际战略课"),
    ("文化観光部インバウンド推進課", "文化观光部入境旅游推进课"),
]
RESEARCH_SUBJECTS = [
    ("中国の地方財政制度", "中国的地方财政制度"),
    ("中国の高齢者福祉政策", "中国的老年人福利政策"),
    ("中国の訪日旅行市場の動向", "中国访日旅游市场动向"),
    ("中国の農村振興政策", "中国的乡村振兴政策"),
    ("中国の廃棄物処理制度", "中国的废弃物处理制度"),
    ("中国の越境EC規制", "中国的跨境电商监管"),
]
CHINESE_DEPARTMENTS = [
    ("人民政府外事弁公室", "人民政府外事办公室"),
    ("農業農村局", "农业农村局"),
    ("生態環境局", "生态环境局"),
    ("衛生健康委員会", "卫生健康委员会"),
    ("教育局", "教育局"),
    ("自然資源・計画局", "自然资源和规划局"),
]
MISSIONS = [
    ("トッププロモーション", "高层推介活动"),
    ("友好交流", "友好交流"),
    ("経済交流ミッション", "经济交流考察"),
    ("観光プロモーション", "旅游推介活动"),
    ("友好都市提携周年記念行事", "友好城市缔结周年纪念活动"),
    ("青少年交流事業", "青少年交流活动"),
]
SUPPORT_GIVEN = [
    ("アテンド", "陪同"),
    ("通訳", "翻译"),
    ("アポイントメントの取付け", "联系访问单位"),
    ("現地情報の提供", "提供当地信息"),
    ("会場の手配", "安排会场"),
]
SUPPORT_PHOTOS = [
    ("表敬訪問", "礼节性拜访"),
    ("意見交換会", "意见交流会"),
    ("覚書の締結", "签署备忘录"),
]
LEADER_TITLES = {
    JapaneseLocalGovernment.Kind.PREFECTURE: ("知事", "知事"),
    JapaneseLocalGovernment.Kind.DESIGNATED_CITY: ("市長", "市长"),
    JapaneseLocalGovernment.Kind.CITY: ("市長", "市长"),
    JapaneseLocalGovernment.Kind.TOWN: ("町長", "町长"),
    JapaneseLocalGovernment.Kind.VILLAGE: ("村長", "村长"),
}
TRAINING_FIELDS = [
    ("経済交流", "经济交流"),
    ("観光", "观光"),
    ("国際交流", "国际交流"),
    ("地方行政", "地方行政"),
    ("環境", "环境"),
    ("農林水産", "农林水产"),
    ("医療", "医疗"),
    ("福祉", "福利"),
    ("教育", "教育"),
    ("防災", "防灾"),
    ("都市計画", "城市规划"),
    ("商工行政", "商工行政"),
]
TRAINING_PLACES = [
    ("県庁", "县政府"),
    ("観光協会", "观光协会"),
    ("環境保護施設", "环境保护中心"),
    ("農業試験場", "农业试验场"),
]
EXECUTIVE_TOPICS = [
    ("歴史文化を活用した情報発信", "利用历史文化开展宣传"),
    ("地域ブランドの育成", "培育地方品牌"),
    ("高齢者にやさしいまちづくり", "建设老年友好型城市"),
    ("ごみの減量とリサイクル", "垃圾减量与资源回收"),
    ("農山村の振興", "农山村振兴"),
]
EXECUTIVE_SITES = [
    ("歴史資料館", "历史资料馆"),
    ("リサイクルセンター", "资源回收中心"),
    ("道の駅", "公路休息站"),
    ("伝統工芸館", "传统工艺馆"),
]
# name ja, name zh, venue ja, venue zh, city code
TRAVEL_EXPOS = [
    (
        "北京国際旅游博覧会（BITE）",
        "北京国际旅游博览会（BITE）",
        "北京国家会議中心",
        "北京国家会议中心",
        "110000",
    ),
    (
        "中国国際旅游交易会（CITM）",
        "中国国际旅游交易会（CITM）",
        "国家会展中心（上海）",
        "国家会展中心（上海）",
        "310000",
    ),
    (
        "海南世界休閑旅游博覧会（ILTE）",
        "海南世界休闲旅游博览会（ILTE）",
        "海南国際会議中心",
        "海南国际会议中心",
        "460100",
    ),
    (
        "広州国際旅游展覧会（GITF）",
        "广州国际旅游展览会（GITF）",
        "中国輸出入商品交易会展館",
        "中国进出口商品交易会展馆",
        "440100",
    ),
    (
        "天皇誕生日祝賀レセプション",
        "天皇诞辰庆祝招待会",
        "在中国日本大使館",
        "日本国驻华大使馆",
        "110000",
    ),
    (
        "中国西部国際博覧会",
        "中国西部国际博览会",
        "西部国際博覧城",
        "西部国际博览城",
        "510100",
    ),
]
EXPO_PHOTOS = [
    ("パンフレットを求める来場者", "索取宣传册的参观者"),
    ("多くの人で賑わうクレアブース", "人头攒动的CLAIR展位"),
    ("各地方自治体と連携したクレアブース", "与日本各地方政府联合出展的CLAIR展位"),
]
COOKING_CITIES = ["310000", "110000", "440300", "330100", "350200", "320100", "440100"]
DISHES = [
    ("肉じゃが", "土豆炖肉"),
    ("親子丼", "亲子盖饭"),
    ("茶碗蒸し", "日式蒸蛋"),
    ("だし巻き卵", "高汤玉子烧"),
    ("ちらし寿司", "散寿司"),
    ("豚汁", "猪肉味噌汤"),
    ("天ぷら", "天妇罗"),
    ("おにぎり", "饭团"),
    ("焼き鳥", "日式烤鸡肉串"),
    ("きんぴらごぼう", "金平牛蒡"),
    ("味噌ラーメン", "味噌拉面"),
    ("ほうとう", "馎饦面"),
    ("ずんだ餅", "毛豆泥年糕"),
    ("ちゃんぽん", "什锦面"),
    ("讃岐うどん", "赞岐乌冬面"),
    ("もみじ饅頭", "红叶馒头"),
    ("ゴーヤーチャンプルー", "苦瓜炒鸡蛋"),
    ("きりたんぽ鍋", "烤米棒火锅"),
    ("お好み焼き", "大阪烧"),
    ("たこ焼き", "章鱼烧"),
    ("抹茶アイス", "抹茶冰淇淋"),
    ("おはぎ", "豆蓉抱团"),
    ("柿の葉寿司", "柿叶寿司"),
    ("ます寿司", "鳟鱼寿司"),
    ("いちご大福", "草莓大福"),
    ("鶏の唐揚げ", "日式炸鸡块"),
]
COOKING_PHOTOS = [
    ("料理を作る参加者", "制作料理的参加者"),
    ("実際に作った料理", "料理成品"),
    ("地方自治体職員による観光紹介", "地方政府职员介绍旅游资源"),
]
PLATFORMS = [
    ("快手（Kuaishou）", "快手"),
    ("抖音（Douyin）", "抖音"),
    ("微博（Weibo）", "微博"),
    ("ビリビリ（bilibili）", "哔哩哔哩"),
    ("小紅書（RED）", "小红书"),
    ("微信視頻号（WeChat Channels）", "微信视频号"),
]
LIVESTREAM_PHOTOS = [
    ("ライブ配信による観光地の紹介", "直播介绍景点"),
    ("ライブ配信による文化体験の紹介", "直播介绍文化体验"),
    ("ショート動画による伝統産業の紹介", "短视频介绍传统产业"),
]
UNIVERSITIES = [
    ("北京大学", "北京大学"),
    ("清華大学", "清华大学"),
    ("北京外国語大学", "北京外国语大学"),
    ("中国人民大学", "中国人民大学"),
    ("復旦大学", "复旦大学"),
    ("南開大学", "南开大学"),
    ("大連外国語大学", "大连外国语大学"),
    ("中国伝媒大学", "中国传媒大学"),
]
MEDIA = [
    ("中国国際放送局（CRI）", "中国国际广播电台（CRI）"),
    ("人民網", "人民网"),
    ("新華網", "新华网"),
    ("中国新聞社", "中国新闻社"),
]
EXPERT_SUBJECTS = {
    "農業": [
        ("施設園芸", "设施园艺"),
        ("果樹栽培", "果树栽培"),
        ("有機農業の技術指導", "有机农业技术指导"),
        ("野菜の連作障害への対応", "蔬菜的连作灾害应对"),
    ],
    "林業": [("森林資源の管理", "森林资源管理"), ("間伐材の利用", "间伐材的利用")],
    "環境保全": [
        ("廃棄物の分別収集", "垃圾分类收集"),
        ("水質改善対策", "水质改善对策"),
        ("大気汚染対策", "大气污染防治"),
    ],
    "土木": [("道路の維持管理", "道路养护管理"), ("河川管理", "河道管理")],
    "都市計画": [("歴史的街並みの保存", "历史街区的保护"), ("都市緑化", "城市绿化")],
    "医療": [("高齢者介護", "老年护理"), ("リハビリテーション", "康复训练")],
    "教育": [("環境教育の授業", "环境教育授课"), ("日本語教育", "日语教育")],
}
CHINA_OFFICE_LOCATIONS = [
    ("北京", "北京", 1, 4),
    ("上海", "上海", 18, 26),
    ("大連", "大连", 4, 8),
    ("香港", "香港", 5, 10),
    ("その他", "其他地区", 1, 5),
]
COVER_POSITIONS = ["左上", "右上", "左下", "右下"]
# metric: (value unit ja, zh), and how far the figure falls per older edition
KEY_FIGURE_UNITS = {
    KeyFigure.Metric.SISTER_CITIES: ("件", "对", 4),
    KeyFigure.Metric.OFFICES_IN_CHINA: ("カ所", "处", 0),
    KeyFigure.Metric.LGOTP_TRAINEES: ("人", "人", 20),
    KeyFigure.Metric.EXECUTIVE_SEMINAR_PARTICIPANTS: ("人", "名", 6),
    KeyFigure.Metric.EXPERTS_DISPATCHED: ("人", "人", 3),
}
# post: (how far the cumulative count falls per older edition, its floor: the
# most that can be serving)
JET_CUMULATIVE_STEPS = {
    Position.ALT: (1, 18),
    Position.CIR: (6, 70),
    Position.SEA: (1, 2),
}
GENERATED_NOTE = ("負荷試験用の生成データ", "负载测试用的生成数据")

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


def short_name(name: str) -> str:
    """綿陽市 -> 綿陽 (as event titles name a city)."""
    return re.sub(r"市$", "", name) if len(name) > 2 else name


def tr(name: str, pair: tuple[str, str]) -> dict[str, str]:
    """Both languages of a translated field: tr("title", (ja, zh))."""
    return {f"{name}_ja": pair[0], f"{name}_zh_hans": pair[1]}


@dataclass(frozen=True)
class PlaceNames:
    """A place as the brochures write it, in both languages (四川省綿陽市)."""

    obj: models.Model
    name: tuple[str, str]
    full: tuple[str, str]
    short: tuple[str, str]


def chinese_names(city: ChineseLocalGovernment) -> PlaceNames:
    province = city.province
    if province and province.kind == ChineseLocalGovernment.Kind.PROVINCE:
        full = (
            province.name_ja + city.name_ja,
            province.name_zh_hans + city.name_zh_hans,
        )
    else:
        full = (city.name_ja, city.name_zh_hans)
    name = (city.name_ja, city.name_zh_hans)
    return PlaceNames(city, name, full, tuple(short_name(n) for n in name))


def japanese_names(government: JapaneseLocalGovernment) -> PlaceNames:
    prefecture = government.prefecture
    if prefecture and government.kind != JapaneseLocalGovernment.Kind.DESIGNATED_CITY:
        full = (
            prefecture.name_ja + government.name_ja,
            prefecture.name_zh_hans + government.name_zh_hans,
        )
    else:
        full = (government.name_ja, government.name_zh_hans)
    return PlaceNames(
        government, (government.name_ja, government.name_zh_hans), full, full
    )


class MissingReferenceData(Exception):
    """The database lacks the places or menus the generator draws from."""


@dataclass
class LoadDataGenerator:
    scale: int
    seed: int = DEFAULT_SEED
    created: Counter = field(default_factory=Counter)

    def __post_init__(self):
        if self.scale < 1:
            raise ValueError("The scale is at least 1.")
        self.rng = random.Random(self.seed)
        self.chinese_cities = [
            chinese_names(c)
            for c in ChineseLocalGovernment.objects.select_related("province").filter(
                kind__in=[
                    ChineseLocalGovernment.Kind.CITY,
                    ChineseLocalGovernment.Kind.MUNICIPALITY,
                ]
            )
        ]
        self.chinese_by_code = {p.obj.code: p for p in self.chinese_cities}
        self.chinese_provinces = [
            chinese_names(p)
            for p in ChineseLocalGovernment.objects.filter(
                kind=ChineseLocalGovernment.Kind.PROVINCE
            )
        ]
        japanese = [
            japanese_names(g)
            for g in JapaneseLocalGovernment.objects.select_related("prefecture")
        ]
        self.japanese = japanese
        self.prefectures = [
            g for g in japanese if g.obj.kind == JapaneseLocalGovernment.Kind.PREFECTURE
        ]
        self.services = list(SupportService.objects.all())
        self.expert_fields = list(ExpertField.objects.all())
        missing = [
            label
            for label, rows in (
                ("Chinese cities", self.chinese_cities),
                ("Chinese provinces", self.chinese_provinces),
                ("Japanese prefectures", self.prefectures),
                ("support services", self.services),
                ("expert fields", self.expert_fields),
            )
            if not rows
        ]
        if missing:
            raise MissingReferenceData(
                "No "
                + ", ".join(missing)
                + " in the database: run load_brochures first."
            )

    # Helpers ------------------------------------------------------------------------

    def count(self, model) -> int:
        return UNIT[model] * self.scale

    def bulk_create(self, objs: list) -> list:
        if objs:
            model = type(objs[0])
            model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
            self.created[model._meta.label] += len(objs)
        return objs

    def bulk_create_links(self, relation, pairs: list[tuple[int, int]]) -> None:
        """Rows of a many-to-many relation, as (record id, related id) pairs."""
        if not pairs:
            return
        through = relation.through
        quote = connection.ops.quote_name
        source, target = (
            quote(f.column)
            for f in through._meta.fields
            if isinstance(f, models.ForeignKey)
        )
        # One INSERT over two arrays: a model instance per link costs more than
        # the row itself (scale 100 makes some 30,000 links).
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(through._meta.db_table)} ({source}, {target}) "
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
                [[a for a, _ in pairs], [b for _, b in pairs]],
            )
        self.created[through._meta.label] += len(pairs)

    def date_in(
        self, fiscal_year: int, first: int = 0, last: int = 364
    ) -> datetime.date:
        """A day of the fiscal year, `first` to `last` days after 1 April."""
        start, end = fiscal_year_bounds(fiscal_year)
        day = start + datetime.timedelta(days=self.rng.randint(first, last))
        return min(day, end)

    def event_year(self) -> int:
        return self.rng.randint(FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR)

    def span(self, start: datetime.date, longest: int) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, longest))

    def next_positions(self, model) -> defaultdict:
        """Per fiscal year, the next free `position` after the existing records."""
        rows = (
            model._default_manager.order_by()
            .values_list("fiscal_year")
            .annotate(top=Max("position"))
        )
        return defaultdict(int, {fy: top or 0 for fy, top in rows})

    def photos(self, subjects: list, captions) -> None:
        """PHOTOS_PER_UNIT photos spread evenly over `subjects`, without image
        files; `captions(subject, n)` gives the n-th photo's (ja, zh) caption."""
        if not subjects:
            return
        model = type(subjects[0])
        total = PHOTOS_PER_UNIT[model] * self.scale
        content_type = ContentType.objects.get_for_model(model)
        positions = Counter()
        photos = []
        for k in range(total):
            subject = subjects[k * len(subjects) // total]
            positions[subject.pk] += 1
            photos.append(
                Photo(
                    content_type=content_type,
                    object_id=subject.pk,
                    image="",
                    position=positions[subject.pk],
                    **tr("caption", captions(subject, positions[subject.pk])),
                )
            )
        self.bulk_create(photos)

    @staticmethod
    def set_receipt_times(requests: list) -> None:
        """Put back the receipt and update times that bulk_create overwrote with
        now (auto_now_add, auto_now): one UPDATE over arrays, where bulk_update's
        CASE per row takes seconds at scale."""
        meta = SupportRequest._meta
        quote = connection.ops.quote_name
        created, updated = (
            meta.get_field(n).column for n in ("created_at", "updated_at")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS r "
                f"SET {quote(created)} = v.created, {quote(updated)} = v.updated "
                "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) "
                "AS v(id, created, updated) "
                f"WHERE r.{quote(meta.pk.column)} = v.id",
                [
                    [r.pk for r in requests],
                    [r.created_at for r in requests],
                    [r.updated_at for r in requests],
                ],
            )

    @staticmethod
    def both(template: tuple[str, str], **names) -> tuple[str, str]:
        """Fill a (ja, zh) template; each value is a (ja, zh) pair or one string."""

        def pick(i):
            return {k: (v[i] if isinstance(v, tuple) else v) for k, v in names.items()}

        return template[0].format(**pick(0)), template[1].format(**pick(1))

    # Programs -------------------------------------------------------------------------

    def run(self) -> Counter:
        with translation.override("ja"):
            self.editions()
            self.seminars()
            self.support_requests()
            self.support_examples()
            self.returnee_gatherings()
            self.lgotp_placements()
            self.executive_seminars()
            self.travel_expos()
            self.cooking_events()
            self.livestreams()
            self.media_collaborations()
            self.expert_dispatches()
        return self.created

    def editions(self) -> None:
        """New brochure editions, older than every existing one, each with its key
        figures, JET figures and placements, and offices in China."""
        rng = self.rng
        oldest = BrochureEdition.objects.aggregate(y=Min("year"))["y"] or 2019
        years = [oldest - 1 - i for i in range(self.count(BrochureEdition))]
        editions = self.bulk_create(
            [
                BrochureEdition(
                    year=year,
                    source_language="ja" if i % 2 == 0 else "zh-hans",
                    **tr(
                        "title",
                        (
                            f"クレア北京 事務所事業紹介 {year}年度版",
                            f"CLAIR北京 事务所工作介绍 {year}年度版",
                        ),
                    ),
                    **tr(
                        "overview",
                        (
                            f"{year}年度版。北京事務所は、日中両国の地方自治体・地方政府間の"
                            "交流と協力を支援し、日本の地域の魅力を中国に発信しています。",
                            f"{year}年度版。北京事务所协助中日两国地方政府开展交流与合作，"
                            "并向中国宣传日本各地的魅力。",
                        ),
                    ),
                )
                for i, year in enumerate(years)
            ]
        )

        def cover(edition, n):
            place = rng.choice(self.chinese_cities)
            position = COVER_POSITIONS[(n - 1) % len(COVER_POSITIONS)]
            return self.both(
                ("表紙写真（{p}）：{place}", "封面照片（{p}）：{place}"),
                p=position,
                place=place.full,
            )

        self.photos(editions, cover)

        # The published figures of the oldest real editions, to count down from.
        earliest = {}
        for figure in KeyFigure.objects.order_by("-as_of"):
            earliest[figure.metric] = figure.value
        jet_earliest = {}
        for figure in JetFigure.objects.filter(cumulative__isnull=False).order_by(
            "-edition__year", "-fiscal_year"
        ):
            jet_earliest[figure.position] = figure.cumulative
        cumulative = {
            position: jet_earliest.get(position, default)
            for position, default in (
                (Position.ALT, 119),
                (Position.CIR, 1289),
                (Position.SEA, 27),
            )
        }
        values = {metric: earliest.get(metric, 0) for metric in KEY_FIGURE_UNITS}

        key_figures, jet_figures, placements, offices = [], [], [], []
        for i, edition in enumerate(editions):  # newest first
            year = edition.year
            # Offices in China per location, and the key figure as their sum.
            counts = [
                rng.randint(low, high) for *_, low, high in CHINA_OFFICE_LOCATIONS
            ]
            offices += [
                ChinaOfficeCount(
                    edition=edition,
                    count=n,
                    position=position,
                    **tr("location", (ja, zh)),
                )
                for position, ((ja, zh, *_), n) in enumerate(
                    zip(CHINA_OFFICE_LOCATIONS, counts, strict=True), start=1
                )
            ]
            for metric, (unit_ja, unit_zh, step) in KEY_FIGURE_UNITS.items():
                if metric == KeyFigure.Metric.OFFICES_IN_CHINA:
                    value = sum(counts)
                else:
                    value = values[metric] = max(
                        0, values[metric] - rng.randint(0, step)
                    )
                if metric in (
                    KeyFigure.Metric.SISTER_CITIES,
                    KeyFigure.Metric.OFFICES_IN_CHINA,
                ):
                    as_of = datetime.date(year, 4, 1)
                    note = (
                        f"冊子の記載は「{year}年4月現在で{value}{unit_ja}」"
                        "（日付の記載がないため月初とした）。",
                        f"手册记载为“截至{year}年4月共{value}{unit_zh}”"
                        "（未注明具体日期，取该月1日）。",
                    )
                else:
                    as_of = datetime.date(year, 3, 31)
                    note = (
                        f"冊子の記載は「{year - 1}年度までにのべ{value}{unit_ja}」"
                        f"（{year - 1}年度末とした）。",
                        f"手册记载为“截至{year - 1}年度累计{value}{unit_zh}”"
                        f"（取{year - 1}年度末）。",
                    )
                key_figures.append(
                    KeyFigure(
                        metric=metric,
                        value=value,
                        as_of=as_of,
                        edition=edition,
                        **tr("note", note),
                    )
                )
            # JET: ALT placements by prefecture; figures that add up.
            placed = rng.sample(self.prefectures, 6 if i % 2 == 0 else 5)
            alt_counts = [rng.randint(1, 3) for _ in placed]
            placements += [
                JetPlacement(
                    edition=edition,
                    fiscal_year=year,
                    position=Position.ALT,
                    count=n,
                    sort_order=order,
                    **tr("placement", prefecture.full),
                )
                for order, (prefecture, n) in enumerate(
                    zip(placed, alt_counts, strict=True), start=1
                )
            ]
            serving = {
                Position.ALT: sum(alt_counts),
                Position.CIR: rng.randint(20, 70),
                Position.SEA: rng.randint(0, 2),
            }
            for position, (step, floor) in JET_CUMULATIVE_STEPS.items():
                # Never more than the newer edition's, never less than serving.
                cumulative[position] = min(
                    cumulative[position],
                    max(floor, cumulative[position] - rng.randint(0, step)),
                )
            for position in serving:
                jet_figures.append(
                    JetFigure(
                        edition=edition,
                        fiscal_year=year,
                        position=position,
                        serving=serving[position],
                        cumulative=cumulative[position],
                    )
                )
            jet_figures.append(
                JetFigure(
                    edition=edition,
                    fiscal_year=year,
                    position=Position.TOTAL,
                    serving=sum(serving.values()),
                    new=rng.randint(15, 45),
                    cumulative=sum(cumulative.values()),
                )
            )
        self.bulk_create(key_figures)
        self.bulk_create(jet_figures)
        self.bulk_create(placements)
        self.bulk_create(offices)

    def seminars(self) -> None:
        rng = self.rng
        count = self.count(Seminar)
        last = Seminar.objects.aggregate(e=Max("edition"), fy=Max("fiscal_year"))
        first_edition = (last["e"] or 0) + 1
        first_year = (last["fy"] or LAST_FISCAL_YEAR) + 1
        start, _ = fiscal_year_bounds(first_year)
        _, end = fiscal_year_bounds(first_year + SEMINAR_YEARS - 1)
        days = sorted(rng.randint(0, (end - start).days - 2) for _ in range(count))
        seminars = []
        for i, offset in enumerate(days):
            edition = first_edition + i
            city = rng.choice(self.chinese_cities)
            a, b = rng.sample(TOPICS, 2)
            theme = self.both(rng.choice(SEMINAR_THEMES), a=a, b=b)
            begin = start + datetime.timedelta(days=offset)
            finish = begin + datetime.timedelta(days=2)
            japan, china = rng.randint(40, 90), rng.randint(60, 180)
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
            seminars.append(
                Seminar(
                    edition=edition,
                    fiscal_year=fiscal_year_of(begin),
                    start_date=begin,
                    end_date=finish,
                    host_city=city.obj,
                    participants_japan=japan,
                    participants_china=china,
                    **tr("theme", theme),
                    **tr("report", report),
                    **tr("note", GENERATED_NOTE),
                )
            )
        self.bulk_create(seminars)
        city_names = {c.obj.pk: c for c in self.chinese_cities}
        detailed = [s for i, s in enumerate(seminars) if i % 18 in DETAILED_SEMINARS]
        organisers, programme = [], []
        Role = SeminarOrganiser.Role
        for seminar in detailed:
            city = city_names[seminar.host_city_id]
            province = city.obj.province
            foreign_affairs = (
                chinese_names(province).name
                if province and province.kind == ChineseLocalGovernment.Kind.PROVINCE
                else city.name
            )
            names = [
                (
                    Role.ORGANISER,
                    ("自治体国際化協会（クレア）", "自治体国际化协会（CLAIR）"),
                ),
                (
                    Role.CO_ORGANISER,
                    (
                        "中華人民共和国外交部外事管理司",
                        "中华人民共和国外交部外事管理司",
                    ),
                ),
                (
                    Role.CO_ORGANISER,
                    self.both(
                        ("{p}人民政府外事弁公室", "{p}人民政府外事办公室"),
                        p=foreign_affairs,
                    ),
                ),
                (
                    Role.CO_ORGANISER,
                    self.both(("{c}人民政府", "{c}人民政府"), c=city.name),
                ),
                (Role.HOST, self.both(("{c}人民政府", "{c}人民政府"), c=city.name)),
                (Role.SUPPORTER, ("中国日本友好協会", "中国日本友好协会")),
                (Role.SUPPORTER, ("在中国日本国大使館", "日本国驻华大使馆")),
                (
                    Role.SUPPORTER,
                    self.both(
                        (
                            "日本貿易振興機構（ジェトロ）{c}代表処",
                            "日本贸易振兴机构（JETRO）{c}代表处",
                        ),
                        c=city.short,
                    ),
                ),
            ]
            organisers += [
                SeminarOrganiser(
                    seminar=seminar, role=role, position=position, **tr("name", name)
                )
                for position, (role, name) in enumerate(names, start=1)
            ]
            sight = rng.choice(SIGHTS)
            days = [
                self.both(
                    (
                        "在中国自治体事務所連絡会議、{c}主催レセプション",
                        "日本地方政府在华代表处联络会议、{c}主办欢迎晚宴",
                    ),
                    c=city.full,
                ),
                (
                    "本会議（基調講演、特別講演、パネルディスカッション等）、"
                    "JETプログラム経験者意見交換会",
                    "正式会议（主旨演讲、特别演讲、小组讨论等）、JET项目归国人员座谈会",
                ),
                self.both(("行政視察（{s}）", "行政考察（{s}）"), s=sight),
            ]
            programme += [
                SeminarProgrammeDay(
                    seminar=seminar,
                    date=seminar.start_date + datetime.timedelta(days=n),
                    **tr("description", description),
                )
                for n, description in enumerate(days)
            ]
        self.bulk_create(organisers)
        self.bulk_create(programme)

        def caption(seminar, n):
            city = city_names[seminar.host_city_id]
            return self.both(
                ("{x}（第{n}回・{c}）", "{x}（第{cn}届・{c}）"),
                x=SEMINAR_PHOTOS[(n - 1) % len(SEMINAR_PHOTOS)],
                n=seminar.edition,
                cn=chinese_numeral(seminar.edition),
                c=city.short,
            )

        self.photos(detailed, caption)

    def support_requests(self) -> None:
        """Requests through the portal, numbered LOAD-<FY>-<n>: activity support
        and overseas research from Japanese governments, expert dispatches asked
        by Chinese ones."""
        rng = self.rng
        Status = SupportRequest.Status
        requests = []
        kinds = (
            [RequestKind.ACTIVITY_SUPPORT] * REQUESTS_PER_UNIT[0]
            + [RequestKind.OVERSEAS_RESEARCH] * REQUESTS_PER_UNIT[1]
            + [RequestKind.EXPERT_DISPATCH] * REQUESTS_PER_UNIT[2]
        ) * self.scale
        for kind in kinds:
            fiscal_year = rng.randint(FIRST_REQUEST_YEAR, LAST_REQUEST_YEAR)
            if fiscal_year == LAST_REQUEST_YEAR:  # the running year: at any step
                status = rng.choice(Status.values)
                latest = 150
            else:
                status = rng.choices(
                    [Status.COMPLETED, Status.DECLINED, Status.WITHDRAWN], [85, 5, 10]
                )[0]
                latest = 295
            received = self.date_in(fiscal_year, 0, latest)
            request = SupportRequest(kind=kind, status=status, fiscal_year=fiscal_year)
            if kind == RequestKind.EXPERT_DISPATCH:
                self.expert_request(request, received)
            else:
                self.japanese_request(request, received)
            request.created_at = timezone.make_aware(
                datetime.datetime.combine(
                    received, datetime.time(rng.randint(9, 17), rng.randint(0, 59))
                )
            )
            request.consented_at = request.created_at
            request.updated_at = request.created_at + datetime.timedelta(
                days=rng.randint(0, 20), hours=rng.randint(0, 8)
            )
            requests.append(request)

        self.number_requests(requests)
        times = [(r.created_at, r.updated_at) for r in requests]
        self.bulk_create(requests)  # sets created_at and updated_at to now
        for request, (created, updated) in zip(requests, times, strict=True):
            request.created_at, request.updated_at = created, updated
        self.set_receipt_times(requests)
        links = []
        for request in requests:
            if request.kind == RequestKind.ACTIVITY_SUPPORT:
                wanted = rng.sample(
                    self.services, rng.randint(1, min(4, len(self.services)))
                )
                links += [(request.pk, service.pk) for service in wanted]
        self.bulk_create_links(SupportRequest.services, links)

    def number_requests(self, requests: list) -> None:
        """References LOAD-<FY>-<n> in the order of receipt, after the highest
        existing one, and tracking tokens derived from the seed and reference."""
        requests.sort(key=lambda r: (r.fiscal_year, r.created_at))
        last = defaultdict(int)
        pattern = re.compile(rf"^{REFERENCE_PREFIX}-(\d{{4}})-(\d+)$")
        existing = SupportRequest.objects.filter(
            reference__startswith=f"{REFERENCE_PREFIX}-"
        ).values_list("reference", flat=True)
        for reference in existing:
            if match := pattern.match(reference):
                year, number = int(match[1]), int(match[2])
                last[year] = max(last[year], number)
        for request in requests:
            last[request.fiscal_year] += 1
            number = last[request.fiscal_year]
            request.reference = f"{REFERENCE_PREFIX}-{request.fiscal_year}-{number:05d}"
            seeded = f"{self.seed}:{request.reference}".encode()
            digest = hashlib.sha256(seeded).digest()
            request.token = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def japanese_request(self, request, received: datetime.date) -> None:
        """Activity support or overseas research, in the requester's language."""
        rng = self.rng
        government = rng.choice(self.japanese)
        request.language = "zh-hans" if rng.random() < 0.1 else "ja"
        lang = 0 if request.language == "ja" else 1
        request.government = government.obj
        request.department = rng.choice(DEPARTMENTS)[lang]
        request.contact_name = (
            f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}"
            if lang == 0
            else rng.choice(CHINESE_NAMES)
        )
        request.email = (
            f"kokusai{rng.randint(1, 999):03d}@lg{government.obj.code}.example.jp"
        )
        request.phone = (
            f"0{rng.randint(11, 99)}-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
        )
        if request.kind == RequestKind.ACTIVITY_SUPPORT:
            stay_start = received + datetime.timedelta(days=rng.randint(14, 59))
            places = rng.sample(self.chinese_cities, rng.randint(1, 3))
            request.stay_start = stay_start
            request.stay_end = self.span(stay_start, 7)
            request.destinations = "、".join(p.full[lang] for p in places)
            request.purpose = self.both(
                (
                    "{g}訪中団による{c}との{t}に関する意見交換と視察",
                    "{g}访华团与{c}就{t}交流意见并考察",
                ),
                g=government.full,
                c=places[0].full,
                t=rng.choice(TOPICS),
            )[lang]
            request.delegation_leader = self.both(
                ("{g}{t}", "{g}{t}"),
                g=government.full,
                t=LEADER_TITLES[government.obj.kind],
            )[lang]
            request.delegation_size = rng.randint(2, 30)
        else:
            subject = rng.choice(RESEARCH_SUBJECTS)
            request.research_subject = subject[lang]
            request.research_questions = self.both(
                (
                    "{s}の概要と最近の動向について、統計データを含めてご教示ください。",
                    "请介绍{s}的概况及最新动向（包括统计数据）。",
                ),
                s=subject,
            )[lang]
            request.needed_by = received + datetime.timedelta(days=rng.randint(30, 90))

    def expert_request(self, request, received: datetime.date) -> None:
        """An expert dispatch asked by a Chinese government, mostly in Chinese."""
        rng = self.rng
        government = rng.choice(self.chinese_cities + self.chinese_provinces)
        request.language = "ja" if rng.random() < 0.1 else "zh-hans"
        lang = 0 if request.language == "ja" else 1
        request.chinese_government = government.obj
        request.department = self.both(
            ("{g}{d}", "{g}{d}"), g=government.name, d=rng.choice(CHINESE_DEPARTMENTS)
        )[lang]
        request.contact_name = rng.choice(CHINESE_NAMES)
        request.email = (
            f"waiban{rng.randint(1, 999):03d}@gov{government.obj.code}.example.cn"
        )
        request.phone = f"+86-{rng.randint(10, 999)}-{rng.randint(10000000, 99999999)}"
        expert_field = rng.choice(self.expert_fields)
        request.expert_field = expert_field
        request.expert_subject = rng.choice(self.expert_subjects(expert_field))[lang]
        request.wished_start = received + datetime.timedelta(days=rng.randint(60, 200))
        request.wished_end = request.wished_start + datetime.timedelta(
            days=rng.randint(5, 14)
        )

    @classmethod
    def expert_subjects(cls, expert_field) -> list[tuple[str, str]]:
        return EXPERT_SUBJECTS.get(expert_field.name_ja) or [
            cls.both(
                ("{f}の技術指導", "{f}技术指导"),
                f=(expert_field.name_ja, expert_field.name_zh_hans),
            )
        ]

    def support_examples(self) -> None:
        rng = self.rng
        positions = self.next_positions(SupportExample)
        examples, governments = [], []
        for _ in range(self.count(SupportExample)):
            fiscal_year = self.event_year()
            start = self.date_in(fiscal_year, 0, 355)
            government = rng.choice(self.japanese)
            places = rng.sample(self.chinese_cities, rng.randint(1, 2))
            leader = LEADER_TITLES[government.obj.kind]
            positions[fiscal_year] += 1
            examples.append(
                SupportExample(
                    fiscal_year=fiscal_year,
                    start_date=start,
                    end_date=self.span(start, 5),
                    position=positions[fiscal_year],
                    **tr(
                        "title",
                        self.both(
                            ("{g}訪中団の{m}に係る支援", "{g}访华团{m}的活动支持"),
                            g=government.full,
                            m=rng.choice(MISSIONS),
                        ),
                    ),
                    **tr(
                        "places",
                        tuple("、".join(p.full[i] for p in places) for i in (0, 1)),
                    ),
                    **tr(
                        "participants",
                        self.both(
                            ("{g}{t}を代表とする訪中団", "以{g}{t}为团长的访华团"),
                            g=government.full,
                            t=leader,
                        ),
                    ),
                    **tr("support_content", rng.choice(SUPPORT_GIVEN)),
                )
            )
            governments.append(government)
        self.bulk_create(examples)
        self.bulk_create_links(
            SupportExample.governments,
            [(e.pk, g.obj.pk) for e, g in zip(examples, governments, strict=True)],
        )
        by_pk = {e.pk: g for e, g in zip(examples, governments, strict=True)}
        self.photos(
            examples,
            lambda example, n: self.both(
                ("{x}（{g}訪中団）", "{x}（{g}访华团）"),
                x=rng.choice(SUPPORT_PHOTOS),
                g=by_pk[example.pk].full,
            ),
        )

    def returnee_gatherings(self) -> None:
        rng = self.rng
        gatherings = []
        for _ in range(self.count(ReturneeGathering)):
            fiscal_year = self.event_year()
            day = self.date_in(fiscal_year)
            city = rng.choice(self.chinese_cities)
            date_ja = f"{day.year}年{day.month}月{day.day}日"
            gatherings.append(
                ReturneeGathering(
                    fiscal_year=fiscal_year,
                    start_date=day,
                    city=city.obj,
                    **tr(
                        "title",
                        self.both(
                            (
                                "JETプログラム経験者意見交換会（{c}）",
                                "JET项目归国人员座谈会（{c}）",
                            ),
                            c=city.short,
                        ),
                    ),
                    **tr(
                        "description",
                        self.both(
                            (
                                "{d}、{c}においてJETプログラム経験者意見交換会を開催しました。"
                                "北京事務所では、JETプログラム経験者との連携強化を目的として、"
                                "中国各地で意見交換会を開催しています。",
                                "{d}，在{c}举办了JET项目归国人员座谈会。为加强与JET项目归国人员的"
                                "联系与合作，北京事务所在中国各地举办座谈会。",
                            ),
                            d=date_ja,
                            c=city.full,
                        ),
                    ),
                )
            )
        self.bulk_create(gatherings)
        self.photos(
            gatherings,
            lambda g, n: (
                "JETプログラム経験者意見交換会の様子",
                "JET项目归国人员座谈会现场",
            ),
        )

    def lgotp_placements(self) -> None:
        rng = self.rng
        positions = self.next_positions(LgotpPlacement)
        senders = self.chinese_cities + self.chinese_provinces
        placements = []
        for _ in range(self.count(LgotpPlacement)):
            fiscal_year = self.event_year()
            positions[fiscal_year] += 1
            fields = rng.sample(TRAINING_FIELDS, rng.randint(1, 3))
            placements.append(
                LgotpPlacement(
                    fiscal_year=fiscal_year,
                    host=rng.choice(self.japanese).obj,
                    sending_government=rng.choice(senders).obj,
                    position=positions[fiscal_year],
                    **tr(
                        "training_fields",
                        tuple("、".join(f[i] for f in fields) for i in (0, 1)),
                    ),
                    **tr("note", GENERATED_NOTE),
                )
            )
        self.bulk_create(placements)
        self.photos(
            placements,
            lambda p, n: self.both(
                ("{x}での研修", "在{x}研修"), x=rng.choice(TRAINING_PLACES)
            ),
        )

    def executive_seminars(self) -> None:
        rng = self.rng
        seminars, visited = [], []
        for _ in range(self.count(ExecutiveSeminar)):
            fiscal_year = self.event_year()
            start = self.date_in(fiscal_year, 0, 355)
            prefectures = rng.sample(self.prefectures, rng.randint(1, 2))
            host = prefectures[0]
            seminars.append(
                ExecutiveSeminar(
                    fiscal_year=fiscal_year,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=4),
                    **tr(
                        "theme",
                        self.both(
                            (
                                "{p}の{t}に学ぶ地域づくり",
                                "学习{p}{t}的经验，推进地方建设",
                            ),
                            p=host.full,
                            t=rng.choice(EXECUTIVE_TOPICS),
                        ),
                    ),
                    **tr(
                        "summary",
                        self.both(
                            (
                                "セミナー（東京）：日本の地方自治制度についての講義等\n"
                                "交流事業（{p}）：行政説明、視察、意見交換等",
                                "研讨会（东京）：关于日本的地方自治制度的讲座等\n"
                                "交流活动（{p}）：行政说明、考察、意见交流等",
                            ),
                            p=tuple(
                                "、".join(p.full[i] for p in prefectures)
                                for i in (0, 1)
                            ),
                        ),
                    ),
                )
            )
            visited.append(prefectures)
        self.bulk_create(seminars)
        self.bulk_create_links(
            ExecutiveSeminar.visited,
            [
                (s.pk, p.obj.pk)
                for s, ps in zip(seminars, visited, strict=True)
                for p in ps
            ],
        )
        hosts = {s.pk: ps[0] for s, ps in zip(seminars, visited, strict=True)}
        self.photos(
            seminars,
            lambda s, n: self.both(
                ("{p}の{x}を視察する参加者", "参加者视察{p}的{x}"),
                p=hosts[s.pk].full,
                x=rng.choice(EXECUTIVE_SITES),
            ),
        )

    def travel_expos(self) -> None:
        rng = self.rng
        expos, partners = [], []
        for _ in range(self.count(TravelExpo)):
            name_ja, name_zh, venue_ja, venue_zh, code = rng.choice(TRAVEL_EXPOS)
            city = self.chinese_by_code.get(code) or rng.choice(self.chinese_cities)
            fiscal_year = self.event_year()
            start = self.date_in(fiscal_year, 0, 355)
            one_day = "レセプション" in name_ja
            expos.append(
                TravelExpo(
                    fiscal_year=fiscal_year,
                    start_date=start,
                    end_date=None if one_day else start + datetime.timedelta(days=2),
                    city=city.obj,
                    **tr("name", (name_ja, name_zh)),
                    **tr("venue", (venue_ja, venue_zh)),
                )
            )
            partners.append(rng.sample(self.japanese, rng.randint(0, 3)))
        self.bulk_create(expos)
        self.bulk_create_links(
            TravelExpo.partners,
            [
                (e.pk, g.obj.pk)
                for e, gs in zip(expos, partners, strict=True)
                for g in gs
            ],
        )
        self.photos(
            expos,
            lambda e, n: self.both(
                ("{x}（{e}）", "{x}（{e}）"),
                x=rng.choice(EXPO_PHOTOS),
                e=(e.name_ja, e.name_zh_hans),
            ),
        )

    def cooking_events(self) -> None:
        rng = self.rng
        cities = [
            self.chinese_by_code[c] for c in COOKING_CITIES if c in self.chinese_by_code
        ]
        cities = cities or self.chinese_cities
        events, partners = [], []
        for _ in range(self.count(CookingEvent)):
            fiscal_year = self.event_year()
            events.append(
                CookingEvent(
                    fiscal_year=fiscal_year,
                    start_date=self.date_in(fiscal_year),
                    city=rng.choice(cities).obj,
                )
            )
            partners.append(rng.sample(self.prefectures, rng.choice((1, 1, 1, 2))))
        self.bulk_create(events)
        self.bulk_create_links(
            CookingEvent.partners,
            [
                (e.pk, g.obj.pk)
                for e, gs in zip(events, partners, strict=True)
                for g in gs
            ],
        )
        # 30 dishes per 9 events: the first three of each nine get four.
        menu = []
        for i, event in enumerate(events):
            dishes = rng.sample(DISHES, 4 if i % 9 < 3 else 3)
            menu += [
                CookingMenuItem(event=event, position=position, **tr("name", dish))
                for position, dish in enumerate(dishes, start=1)
            ]
        self.bulk_create(menu)
        partner_names = {
            e.pk: tuple("、".join(g.full[i] for g in gs) for i in (0, 1))
            for e, gs in zip(events, partners, strict=True)
        }
        self.photos(
            events,
            lambda e, n: self.both(
                ("{x}（{p}）", "{x}（{p}）"),
                x=rng.choice(COOKING_PHOTOS),
                p=partner_names[e.pk],
            ),
        )

    def livestreams(self) -> None:
        rng = self.rng
        streams, governments = [], []
        for _ in range(self.count(LivestreamPromotion)):
            fiscal_year = self.event_year()
            start = self.date_in(fiscal_year, 0, 360)
            streams.append(
                LivestreamPromotion(
                    fiscal_year=fiscal_year,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=1),
                    **tr("platform", rng.choice(PLATFORMS)),
                )
            )
            governments.append(rng.sample(self.japanese, rng.randint(1, 2)))
        self.bulk_create(streams)
        self.bulk_create_links(
            LivestreamPromotion.governments,
            [
                (s.pk, g.obj.pk)
                for s, gs in zip(streams, governments, strict=True)
                for g in gs
            ],
        )
        names = {
            s.pk: tuple("、".join(g.full[i] for g in gs) for i in (0, 1))
            for s, gs in zip(streams, governments, strict=True)
        }
        self.photos(
            streams,
            lambda s, n: self.both(
                ("{x}（{g}）", "{x}（{g}）"),
                x=LIVESTREAM_PHOTOS[(n - 1) % len(LIVESTREAM_PHOTOS)],
                g=names[s.pk],
            ),
        )

    def media_collaborations(self) -> None:
        rng = self.rng
        Kind = MediaCollaboration.Kind
        positions = self.next_positions(MediaCollaboration)
        items = []
        for _ in range(self.count(MediaCollaboration)):
            kind = rng.choice(Kind.values)
            university = rng.choice(UNIVERSITIES)
            prefecture = rng.choice(self.prefectures).full
            if kind == Kind.UNIVERSITY:
                title = ("中国国内の大学との意見交換", "与中国国内大学交流意见")
                detail = self.both(
                    ("{u}の日本語専攻の学生との交流", "与{u}日语专业学生交流"),
                    u=university,
                )
            elif kind == Kind.LECTURE:
                title = self.both(
                    ("{u}における講義実施", "在{u}举办讲座"), u=university
                )
                detail = self.both(
                    (
                        "{u}で北京事務所長が日本の地方自治について講義",
                        "北京事务所所长在{u}讲授日本地方自治",
                    ),
                    u=university,
                )
            elif kind == Kind.MEDIA:
                media = rng.choice(MEDIA)
                title = self.both(
                    ("{m}と連携した日本の各地域のPR", "与{m}合作宣传日本各地"), m=media
                )
                detail = self.both(
                    ("{m}の番組に{p}の職員が出演", "{p}职员参加{m}节目"),
                    m=media,
                    p=prefecture,
                )
            else:
                title = self.both(
                    (
                        "中国の大学出版社と連携した{p}の観光情報の発信",
                        "与中国的大学出版社合作发布{p}的观光信息",
                    ),
                    p=prefecture,
                )
                detail = self.both(
                    (
                        "月刊誌「一番日本語」に{p}の観光情報を掲載",
                        "在月刊《一番日本語》刊登{p}的观光信息",
                    ),
                    p=prefecture,
                )
            fiscal_year = self.event_year()
            start = self.date_in(fiscal_year, 0, 355) if rng.random() < 0.5 else None
            positions[fiscal_year] += 1
            items.append(
                MediaCollaboration(
                    fiscal_year=fiscal_year,
                    start_date=start,
                    end_date=self.span(start, 3) if start else None,
                    kind=kind,
                    position=positions[fiscal_year],
                    **tr("title", title),
                    **tr("detail", detail),
                )
            )
        self.bulk_create(items)
        self.photos(items, lambda item, n: (item.detail_ja, item.detail_zh_hans))

    def expert_dispatches(self) -> None:
        rng = self.rng
        dispatches = []
        for _ in range(self.count(ExpertDispatch)):
            expert_field = rng.choice(self.expert_fields)
            subjects = self.expert_subjects(expert_field)
            government = rng.choice(self.japanese)
            former = rng.random() < 0.3
            fiscal_year = self.event_year()
            start = self.date_in(fiscal_year, 0, 350)
            dispatches.append(
                ExpertDispatch(
                    fiscal_year=fiscal_year,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=rng.randint(4, 10)),
                    destination=rng.choice(
                        self.chinese_cities + self.chinese_provinces
                    ).obj,
                    field=expert_field,
                    expert_government=government.obj,
                    **tr("subject", rng.choice(subjects)),
                    **tr(
                        "expert",
                        self.both(
                            ("元{g}職員", "原{g}职员")
                            if former
                            else ("{g}職員", "{g}职员"),
                            g=government.full,
                        ),
                    ),
                )
            )
        self.bulk_create(dispatches)
        destinations = {
            c.obj.pk: c for c in self.chinese_cities + self.chinese_provinces
        }
        self.photos(
            dispatches,
            lambda d, n: self.both(
                ("{s}の技術指導（{c}）", "{s}的技术指导（{c}）")
                if n == 1
                else ("{s}に関する講座（{c}）", "关于{s}的讲座（{c}）"),
                s=(d.subject_ja, d.subject_zh_hans),
                c=destinations[d.destination_id].full,
            ),
        )


def generate_load_data(*, scale: int, seed: int = DEFAULT_SEED) -> Counter:
    """Add `scale` times the brochures' volume of records, in one transaction.

    Returns the number of rows created per model label (many-to-many rows
    under their through model's label). Side effects: writes to the database
    only; no files (photos have no image), no mail.
    """
    with transaction.atomic():
        return LoadDataGenerator(scale=scale, seed=seed).run()
