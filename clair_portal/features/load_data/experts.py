"""Expert dispatches from Japanese governments to Chinese ones, in the
database's expert fields."""

import datetime

from experts.models import ExpertDispatch

from .core import Batch, both, pair_of, tr

UNIT = {ExpertDispatch: 6}
PHOTOS_PER_UNIT = {ExpertDispatch: 7}
# Subjects per expert field, by the field's Japanese name.
SUBJECTS = {
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


def expert_subjects(expert_field) -> list[tuple[str, str]]:
    name = pair_of(expert_field, "name")
    return SUBJECTS.get(name[0]) or [both(("{f}の技術指導", "{f}技术指导"), f=name)]


def generate(batch: Batch) -> None:
    count = batch.count(UNIT[ExpertDispatch])
    dispatches = [new_dispatch(batch) for _ in range(count)]
    batch.bulk_create(dispatches)
    destinations = {c.obj.pk: c for c in batch.places.chinese_governments}
    batch.add_photos(
        dispatches,
        PHOTOS_PER_UNIT[ExpertDispatch],
        lambda d, n: both(
            ("{s}の技術指導（{c}）", "{s}的技术指导（{c}）")
            if n == 1
            else ("{s}に関する講座（{c}）", "关于{s}的讲座（{c}）"),
            s=pair_of(d, "subject"),
            c=destinations[d.destination_id].full,
        ),
    )


def new_dispatch(batch: Batch) -> ExpertDispatch:
    rng = batch.rng
    expert_field = rng.choice(batch.expert_fields)
    subjects = expert_subjects(expert_field)
    government = rng.choice(batch.places.japanese)
    expert = (
        ("元{g}職員", "原{g}职员") if rng.random() < 0.3 else ("{g}職員", "{g}职员")
    )
    fiscal_year = batch.event_year()
    start = batch.date_in(fiscal_year, 0, 350)
    return ExpertDispatch(
        fiscal_year=fiscal_year,
        start_date=start,
        end_date=start + datetime.timedelta(days=rng.randint(4, 10)),
        destination=rng.choice(batch.places.chinese_governments).obj,
        field=expert_field,
        expert_government=government.obj,
        **tr("subject", rng.choice(subjects)),
        **tr("expert", both(expert, g=government.full)),
    )
