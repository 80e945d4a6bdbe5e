"""JET: each new brochure edition's figures and ALT placements, which add up
as check_data expects, and returnee gatherings."""

from functools import partial

from jet.models import JetFigure, JetPlacement, Position, ReturneeGathering

from .core import Batch, both, tr

UNIT = {JetFigure: 8, JetPlacement: 11, ReturneeGathering: 2}
PHOTOS_PER_UNIT = {ReturneeGathering: 2}
# The published cumulative counts, when the brochures give none.
CUMULATIVE_DEFAULTS = {Position.ALT: 119, Position.CIR: 1289, Position.SEA: 27}
# post: (how far the cumulative count falls per older edition, its floor: the
# most that can be serving)
CUMULATIVE_STEPS = {
    Position.ALT: (1, 18),
    Position.CIR: (6, 70),
    Position.SEA: (1, 2),
}


def earliest_cumulative() -> dict:
    """The cumulative counts of the oldest published edition, per post."""
    earliest = {}
    for figure in JetFigure.objects.filter(cumulative__isnull=False).order_by(
        "-edition__year", "-fiscal_year"
    ):
        earliest[figure.position] = figure.cumulative
    return {
        position: earliest.get(position, default)
        for position, default in CUMULATIVE_DEFAULTS.items()
    }


def edition_figures(
    batch: Batch, edition, cumulative: dict, *, alt_prefectures: int
) -> tuple[list[JetPlacement], list[JetFigure]]:
    """An edition's ALT placements by prefecture and its figures per post and
    in total; `cumulative` (per post, the newer edition's) is updated."""
    placements = alt_placements(batch, edition, alt_prefectures)
    rng = batch.rng
    serving = {
        Position.ALT: sum(p.count for p in placements),
        Position.CIR: rng.randint(20, 70),
        Position.SEA: rng.randint(0, 2),
    }
    for position, (step, floor) in CUMULATIVE_STEPS.items():
        # Never more than the newer edition's, never less than serving.
        cumulative[position] = min(
            cumulative[position],
            max(floor, cumulative[position] - rng.randint(0, step)),
        )
    figure = partial(JetFigure, edition=edition, fiscal_year=edition.year)
    figures = [
        figure(position=p, serving=serving[p], cumulative=cumulative[p])
        for p in serving
    ]
    total = figure(
        position=Position.TOTAL,
        serving=sum(serving.values()),
        new=rng.randint(15, 45),
        cumulative=sum(cumulative.values()),
    )
    return placements, [*figures, total]


def alt_placements(batch: Batch, edition, prefectures: int) -> list[JetPlacement]:
    placed = batch.rng.sample(batch.places.prefectures, prefectures)
    counts = [batch.rng.randint(1, 3) for _ in placed]
    return [
        JetPlacement(
            edition=edition,
            fiscal_year=edition.year,
            position=Position.ALT,
            count=n,
            sort_order=order,
            **tr("placement", prefecture.full),
        )
        for order, (prefecture, n) in enumerate(
            zip(placed, counts, strict=True), start=1
        )
    ]


def returnee_gatherings(batch: Batch) -> None:
    rng = batch.rng
    gatherings = []
    for _ in range(batch.count(UNIT[ReturneeGathering])):
        fiscal_year = batch.event_year()
        day = batch.date_in(fiscal_year)
        city = rng.choice(batch.places.chinese_cities)
        gatherings.append(gathering(fiscal_year, day, city))
    batch.bulk_create(gatherings)
    batch.add_photos(
        gatherings,
        PHOTOS_PER_UNIT[ReturneeGathering],
        lambda g, n: (
            "JETプログラム経験者意見交換会の様子",
            "JET项目归国人员座谈会现场",
        ),
    )


def gathering(fiscal_year: int, day, city) -> ReturneeGathering:
    title = both(
        ("JETプログラム経験者意見交換会（{c}）", "JET项目归国人员座谈会（{c}）"),
        c=city.short,
    )
    description = both(
        (
            "{d}、{c}においてJETプログラム経験者意見交換会を開催しました。"
            "北京事務所では、JETプログラム経験者との連携強化を目的として、"
            "中国各地で意見交換会を開催しています。",
            "{d}，在{c}举办了JET项目归国人员座谈会。为加强与JET项目归国人员的"
            "联系与合作，北京事务所在中国各地举办座谈会。",
        ),
        d=f"{day.year}年{day.month}月{day.day}日",
        c=city.full,
    )
    return ReturneeGathering(
        fiscal_year=fiscal_year,
        start_date=day,
        city=city.obj,
        **tr("title", title),
        **tr("description", description),
    )
