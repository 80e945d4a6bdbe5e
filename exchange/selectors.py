"""Reads of the exchange page: every section's records with what they show,
fetched in a number of queries that does not grow with the records."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from clair_portal.models import (
    BrochureEdition,
    JapaneseLocalGovernment,
    KeyFigure,
    Photo,
    Program,
    ProgramIntro,
)

from .models import (
    ChinaOfficeCount,
    CookingEvent,
    ExecutiveSeminar,
    LgotpPlacement,
    LivestreamPromotion,
    MediaCollaboration,
    TravelExpo,
)

Metric = KeyFigure.Metric

# The page's sections with an introduction, in the order of the page.
EXCHANGE_PROGRAMS = (
    Program.LGOTP,
    Program.EXECUTIVE_SEMINAR,
    Program.TRAVEL_EXPO,
    Program.COOKING,
    Program.LIVESTREAM,
    Program.MEDIA,
)
EXCHANGE_METRICS = (
    Metric.SISTER_CITIES,
    Metric.OFFICES_IN_CHINA,
    Metric.LGOTP_TRAINEES,
    Metric.EXECUTIVE_SEMINAR_PARTICIPANTS,
)


@dataclass(frozen=True)
class ProgramSection:
    program: Program
    intro: ProgramIntro | None

    @property
    def label(self):
        return self.program.label


@dataclass(frozen=True)
class EditionFigures:
    """The sister cities and offices in China as one edition published them."""

    edition: BrochureEdition
    sister_cities: KeyFigure | None
    offices_in_china: KeyFigure | None


@dataclass
class OfficeCountRow:
    location: ChinaOfficeCount  # the first record of the location, for its name
    counts: list[int | None]


@dataclass(frozen=True)
class OfficeCountTable:
    editions: list[BrochureEdition]
    rows: list[OfficeCountRow]
    totals: list[int]


@dataclass
class FiscalYearGroup:
    fiscal_year: int
    records: list = field(default_factory=list)

    @property
    def photos(self) -> list[Photo]:
        return photos_of(self.records)


def photos_of(records: Iterable) -> list[Photo]:
    """The photos of several records, from their prefetched `photos`."""
    return [photo for record in records for photo in record.photos.all()]


def by_fiscal_year(records: Iterable) -> list[FiscalYearGroup]:
    """Records already ordered by fiscal year, grouped by it."""
    groups: list[FiscalYearGroup] = []
    for record in records:
        if not groups or groups[-1].fiscal_year != record.fiscal_year:
            groups.append(FiscalYearGroup(record.fiscal_year))
        groups[-1].records.append(record)
    return groups


def program_sections(programs=EXCHANGE_PROGRAMS) -> dict[str, ProgramSection]:
    """Each program's introduction (None when there is none), in one query."""
    intros = {
        intro.program: intro
        for intro in ProgramIntro.objects.filter(program__in=programs)
    }
    return {
        program.value: ProgramSection(program, intros.get(program.value))
        for program in programs
    }


def key_figures(metrics=EXCHANGE_METRICS) -> dict[str, list[KeyFigure]]:
    """Every edition's published figure of each metric, oldest first."""
    figures: dict[str, list[KeyFigure]] = {metric: [] for metric in metrics}
    for figure in (
        KeyFigure.objects.filter(metric__in=metrics)
        .select_related("edition")
        .order_by("as_of", "edition__year")
    ):
        figures[figure.metric].append(figure)
    return figures


def figures_by_edition(figures: dict[str, list[KeyFigure]]) -> list[EditionFigures]:
    """Sister cities and offices in China per edition, oldest edition first."""
    by_edition: dict[int, dict[str, KeyFigure]] = {}
    editions: dict[int, BrochureEdition] = {}
    for metric in (Metric.SISTER_CITIES, Metric.OFFICES_IN_CHINA):
        for figure in figures.get(metric, []):
            editions[figure.edition.year] = figure.edition
            by_edition.setdefault(figure.edition.year, {})[metric] = figure
    return [
        EditionFigures(
            edition=editions[year],
            sister_cities=by_edition[year].get(Metric.SISTER_CITIES),
            offices_in_china=by_edition[year].get(Metric.OFFICES_IN_CHINA),
        )
        for year in sorted(editions)
    ]


def china_office_table() -> OfficeCountTable:
    """Offices in China per location (rows) and edition (columns, oldest first).

    A location is recognised across editions by its Japanese name, the
    language the office keeps its lists in."""
    counts = list(
        ChinaOfficeCount.objects.select_related("edition").order_by(
            "edition__year", "position"
        )
    )
    editions = list({count.edition.year: count.edition for count in counts}.values())
    column = {edition.year: index for index, edition in enumerate(editions)}
    rows: dict[str, OfficeCountRow] = {}
    for count in counts:
        key = count.location_ja or count.location_zh_hans
        if key not in rows:
            rows[key] = OfficeCountRow(count, [None] * len(editions))
        rows[key].counts[column[count.edition.year]] = count.count
    totals = [
        sum(row.counts[index] or 0 for row in rows.values())
        for index in range(len(editions))
    ]
    return OfficeCountTable(editions, list(rows.values()), totals)


def _japanese_places() -> QuerySet[JapaneseLocalGovernment]:
    return JapaneseLocalGovernment.objects.select_related("prefecture")


def lgotp_placements() -> QuerySet[LgotpPlacement]:
    return LgotpPlacement.objects.select_related(
        "host__prefecture", "sending_government__province"
    ).order_by("-fiscal_year", "position", "id")


def executive_seminars() -> QuerySet[ExecutiveSeminar]:
    return ExecutiveSeminar.objects.prefetch_related(
        Prefetch("visited", queryset=_japanese_places())
    ).order_by("-start_date")


def travel_expos() -> QuerySet[TravelExpo]:
    return TravelExpo.objects.select_related("city__province").order_by(
        "-fiscal_year", "start_date", "id"
    )


def cooking_events() -> QuerySet[CookingEvent]:
    return (
        CookingEvent.objects.select_related("city__province")
        .prefetch_related(Prefetch("partners", queryset=_japanese_places()), "menu")
        .order_by("-fiscal_year", "start_date", "id")
    )


def livestream_promotions() -> QuerySet[LivestreamPromotion]:
    return LivestreamPromotion.objects.prefetch_related(
        Prefetch("governments", queryset=_japanese_places())
    ).order_by("-fiscal_year", "start_date", "id")


def media_collaborations() -> QuerySet[MediaCollaboration]:
    return MediaCollaboration.objects.order_by("-fiscal_year", "position", "id")


def exchange_page() -> dict:
    """Everything the exchange page shows, in a constant number of queries."""
    figures = key_figures()
    expos = list(travel_expos().prefetch_related("photos"))
    cooking = list(cooking_events().prefetch_related("photos"))
    livestreams = list(livestream_promotions().prefetch_related("photos"))
    return {
        "sections": program_sections(),
        "latest_figures": {
            metric: values[-1] for metric, values in figures.items() if values
        },
        "edition_figures": figures_by_edition(figures),
        "office_table": china_office_table(),
        "lgotp_years": by_fiscal_year(lgotp_placements().prefetch_related("photos")),
        "executive_seminars": list(executive_seminars().prefetch_related("photos")),
        "travel_expos": expos,
        "travel_expo_photos": photos_of(expos),
        "cooking_events": cooking,
        "cooking_photos": photos_of(cooking),
        "livestreams": livestreams,
        "livestream_photos": photos_of(livestreams),
        "media_years": by_fiscal_year(
            media_collaborations().prefetch_related("photos")
        ),
    }
