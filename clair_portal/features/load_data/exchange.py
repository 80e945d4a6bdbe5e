"""Exchange: offices in China per brochure edition, LGOTP trainees' placements,
executive seminars and media collaborations. (Travel expos, cooking events
and livestreams: exchange_promotion.)"""

import datetime

from exchange.models import (
    ChinaOfficeCount,
    ExecutiveSeminar,
    LgotpPlacement,
    MediaCollaboration,
)

from .core import GENERATED_NOTE, Batch, both, joined, next_positions, pair_of, tr

UNIT = {
    ChinaOfficeCount: 10,
    LgotpPlacement: 7,
    ExecutiveSeminar: 1,
    MediaCollaboration: 7,
}
PHOTOS_PER_UNIT = {LgotpPlacement: 1, ExecutiveSeminar: 1, MediaCollaboration: 2}
# location ja, zh, and the fewest and most offices there per edition
CHINA_OFFICE_LOCATIONS = [
    ("北京", "北京", 1, 4),
    ("上海", "上海", 18, 26),
    ("大連", "大连", 4, 8),
    ("香港", "香港", 5, 10),
    ("その他", "其他地区", 1, 5),
]
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


def china_offices(batch: Batch, edition) -> list[ChinaOfficeCount]:
    """An edition's offices of Japanese governments in China, per location."""
    counts = [batch.rng.randint(low, high) for *_, low, high in CHINA_OFFICE_LOCATIONS]
    return [
        ChinaOfficeCount(
            edition=edition, count=n, position=position, **tr("location", (ja, zh))
        )
        for position, ((ja, zh, *_), n) in enumerate(
            zip(CHINA_OFFICE_LOCATIONS, counts, strict=True), start=1
        )
    ]


def lgotp_placements(batch: Batch) -> None:
    rng = batch.rng
    positions = next_positions(LgotpPlacement)
    placements = []
    for _ in range(batch.count(UNIT[LgotpPlacement])):
        fiscal_year = batch.event_year()
        positions[fiscal_year] += 1
        fields = rng.sample(TRAINING_FIELDS, rng.randint(1, 3))
        placements.append(
            LgotpPlacement(
                fiscal_year=fiscal_year,
                host=rng.choice(batch.places.japanese).obj,
                sending_government=rng.choice(batch.places.chinese_governments).obj,
                position=positions[fiscal_year],
                **tr("training_fields", joined(fields)),
                **tr("staff_note", GENERATED_NOTE),
            )
        )
    batch.bulk_create(placements)
    batch.add_photos(
        placements,
        PHOTOS_PER_UNIT[LgotpPlacement],
        lambda p, n: both(("{x}での研修", "在{x}研修"), x=rng.choice(TRAINING_PLACES)),
    )


def executive_seminars(batch: Batch) -> None:
    count = batch.count(UNIT[ExecutiveSeminar])
    made = [new_executive_seminar(batch) for _ in range(count)]
    seminars = batch.bulk_create([seminar for seminar, _ in made])
    batch.link(ExecutiveSeminar.visited, seminars, [visited for _, visited in made])
    hosts = {seminar.pk: visited[0] for seminar, visited in made}
    batch.add_photos(
        seminars,
        PHOTOS_PER_UNIT[ExecutiveSeminar],
        lambda s, n: both(
            ("{p}の{x}を視察する参加者", "参加者视察{p}的{x}"),
            p=hosts[s.pk].full,
            x=batch.rng.choice(EXECUTIVE_SITES),
        ),
    )


def new_executive_seminar(batch: Batch) -> tuple[ExecutiveSeminar, list]:
    """A seminar and the prefectures it visited, the host first."""
    rng = batch.rng
    fiscal_year = batch.event_year()
    start = batch.date_in(fiscal_year, 0, 355)
    prefectures = rng.sample(batch.places.prefectures, rng.randint(1, 2))
    theme = both(
        ("{p}の{t}に学ぶ地域づくり", "学习{p}{t}的经验，推进地方建设"),
        p=prefectures[0].full,
        t=rng.choice(EXECUTIVE_TOPICS),
    )
    summary = both(
        (
            "セミナー（東京）：日本の地方自治制度についての講義等\n"
            "交流事業（{p}）：行政説明、視察、意見交換等",
            "研讨会（东京）：关于日本的地方自治制度的讲座等\n"
            "交流活动（{p}）：行政说明、考察、意见交流等",
        ),
        p=joined(p.full for p in prefectures),
    )
    seminar = ExecutiveSeminar(
        fiscal_year=fiscal_year,
        start_date=start,
        end_date=start + datetime.timedelta(days=4),
        **tr("theme", theme),
        **tr("summary", summary),
    )
    return seminar, prefectures


def media_collaborations(batch: Batch) -> None:
    rng = batch.rng
    positions = next_positions(MediaCollaboration)
    items = []
    for _ in range(batch.count(UNIT[MediaCollaboration])):
        kind = rng.choice(MediaCollaboration.Kind.values)
        title, detail = media_texts(
            batch,
            kind,
            university=rng.choice(UNIVERSITIES),
            prefecture=rng.choice(batch.places.prefectures).full,
        )
        fiscal_year = batch.event_year()
        start = batch.date_in(fiscal_year, 0, 355) if rng.random() < 0.5 else None
        positions[fiscal_year] += 1
        items.append(
            MediaCollaboration(
                fiscal_year=fiscal_year,
                start_date=start,
                end_date=batch.span(start, 3) if start else None,
                kind=kind,
                position=positions[fiscal_year],
                **tr("title", title),
                **tr("detail", detail),
            )
        )
    batch.bulk_create(items)
    batch.add_photos(
        items,
        PHOTOS_PER_UNIT[MediaCollaboration],
        lambda item, n: pair_of(item, "detail"),
    )


def media_texts(batch: Batch, kind, *, university, prefecture):
    """A collaboration's (title, detail), each a (ja, zh) pair, by its kind."""
    Kind = MediaCollaboration.Kind
    if kind == Kind.UNIVERSITY:
        return ("中国国内の大学との意見交換", "与中国国内大学交流意见"), both(
            ("{u}の日本語専攻の学生との交流", "与{u}日语专业学生交流"), u=university
        )
    if kind == Kind.LECTURE:
        return both(("{u}における講義実施", "在{u}举办讲座"), u=university), both(
            (
                "{u}で北京事務所長が日本の地方自治について講義",
                "北京事务所所长在{u}讲授日本地方自治",
            ),
            u=university,
        )
    if kind == Kind.MEDIA:
        media = batch.rng.choice(MEDIA)
        return both(
            ("{m}と連携した日本の各地域のPR", "与{m}合作宣传日本各地"), m=media
        ), both(
            ("{m}の番組に{p}の職員が出演", "{p}职员参加{m}节目"), m=media, p=prefecture
        )
    return both(
        (
            "中国の大学出版社と連携した{p}の観光情報の発信",
            "与中国的大学出版社合作发布{p}的观光信息",
        ),
        p=prefecture,
    ), both(
        (
            "月刊誌「一番日本語」に{p}の観光情報を掲載",
            "在月刊《一番日本語》刊登{p}的观光信息",
        ),
        p=prefecture,
    )
