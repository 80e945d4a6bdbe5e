"""The support examples a brochure publishes: missions of Japanese
governments to China and what the office did for them."""

from support_requests.models import SupportExample

from .core import Batch, both, joined, next_positions, tr
from .words import LEADER_TITLES

UNIT = {SupportExample: 6}
PHOTOS_PER_UNIT = {SupportExample: 2}
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
PHOTOS = [
    ("表敬訪問", "礼节性拜访"),
    ("意見交換会", "意见交流会"),
    ("覚書の締結", "签署备忘录"),
]


def generate(batch: Batch) -> None:
    positions = next_positions(SupportExample)
    made = [
        new_example(batch, positions) for _ in range(batch.count(UNIT[SupportExample]))
    ]
    examples = batch.bulk_create([example for example, _ in made])
    batch.link(SupportExample.governments, examples, [[g] for _, g in made])
    by_pk = {example.pk: government for example, government in made}
    batch.add_photos(
        examples,
        PHOTOS_PER_UNIT[SupportExample],
        lambda example, n: both(
            ("{x}（{g}訪中団）", "{x}（{g}访华团）"),
            x=batch.rng.choice(PHOTOS),
            g=by_pk[example.pk].full,
        ),
    )


def new_example(batch: Batch, positions) -> tuple[SupportExample, object]:
    """An example and the Japanese government it supported; `positions` (the
    last position per fiscal year) is updated."""
    rng = batch.rng
    fiscal_year = batch.event_year()
    start = batch.date_in(fiscal_year, 0, 355)
    government = rng.choice(batch.places.japanese)
    places = rng.sample(batch.places.chinese_cities, rng.randint(1, 2))
    positions[fiscal_year] += 1
    example = SupportExample(
        fiscal_year=fiscal_year,
        start_date=start,
        end_date=batch.span(start, 5),
        position=positions[fiscal_year],
        **tr(
            "title",
            both(
                ("{g}訪中団の{m}に係る支援", "{g}访华团{m}的活动支持"),
                g=government.full,
                m=rng.choice(MISSIONS),
            ),
        ),
        **tr("places", joined(p.full for p in places)),
        **tr(
            "participants",
            both(
                ("{g}{t}を代表とする訪中団", "以{g}{t}为团长的访华团"),
                g=government.full,
                t=LEADER_TITLES[government.obj.kind],
            ),
        ),
        **tr("support_content", rng.choice(SUPPORT_GIVEN)),
    )
    return example, government
