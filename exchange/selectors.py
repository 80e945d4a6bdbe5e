"""Reads of the exchange page: every section's records with what they show,
fetched in a number of queries that does not grow with the records."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, QuerySet
from modeltranslation.utils import get_translation_fields

from clair_portal.foundation.editions import ProgramTexts, program_texts
from clair_portal.foundation.languages import first_filled
from clair_portal.foundation.models import (
    BrochureEdition,
    KeyFigure,
    Photo,
    Program,
)
from clair_portal.foundation.related_rows import (
    photos_in,
    places_of,
    related_instances,
    with_photos,
)
from clair_portal.foundation.selectors import (
    RECENT_EDITIONS,
    fiscal_years,
    section_records,
)

from .models import (
    ChinaOfficeCount,
    CookingEvent,
    CookingMenuItem,
    ExecutiveSeminar,
    LgotpPlacement,
    LivestreamPromotion,
    MediaCollaboration,
    TravelExpo,
)

Metric = KeyFigure.Metric

# The page's sections with an introduction, in the order of the page.
EXCHANGE_PROGRAMS = (
    Program.SISTER_CITIES,
    Program.LGOTP,
    Program.EXECUTIVE_SEMINAR,
    Program.TRAVEL_EXPO,
    Program.COOKING,
    Program.LIVESTREAM,
    Program.MEDIA,
)
# The records of the exchange page that belong to a fiscal year.
EXCHANGE_YEAR_MODELS = (
    LgotpPlacement,
    ExecutiveSeminar,
    TravelExpo,
    CookingEvent,
    LivestreamPromotion,
    MediaCollaboration,
)
EXCHANGE_METRICS = (
    Metric.SISTER_CITIES,
    Metric.OFFICES_IN_CHINA,
    Metric.LGOTP_TRAINEES,
    Metric.EXECUTIVE_SEMINAR_PARTICIPANTS,
)


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
        return photos_in(self.records)


def by_fiscal_year(records: Iterable) -> list[FiscalYearGroup]:
    """Records already ordered by fiscal year, grouped by it."""
    groups: list[FiscalYearGroup] = []
    for record in records:
        if not groups or groups[-1].fiscal_year != record.fiscal_year:
            groups.append(FiscalYearGroup(record.fiscal_year))
        groups[-1].records.append(record)
    return groups


# The figures --------------------------------------------------------------------


def program_sections(programs=EXCHANGE_PROGRAMS) -> dict[str, ProgramTexts]:
    """Each program's texts, as the newest editions printed them, in one
    query."""
    return program_texts(programs)


def editions_with_figures(
    metrics=EXCHANGE_METRICS, newest=RECENT_EDITIONS
) -> list[BrochureEdition]:
    """The `newest` brochure editions, oldest first, with what each published:
    its key figures of `metrics` as `figures` and its offices in China per
    location as `office_counts` (in its order), in one query."""
    figures = KeyFigure.objects.filter(edition=OuterRef("pk"), metric__in=metrics)
    offices = ChinaOfficeCount.objects.filter(edition=OuterRef("pk"))
    editions = list(
        BrochureEdition.objects.annotate(
            figures=related_instances(
                figures.order_by("as_of", "pk"), "metric", "value", "as_of"
            ),
            office_counts=related_instances(
                offices.order_by("position"),
                *get_translation_fields("location"),
                "count",
            ),
        ).order_by("-year")[:newest]
    )[::-1]
    for edition in editions:
        for record in (*edition.figures, *edition.office_counts):
            record.edition = edition
    return editions


def key_figures(
    editions: list[BrochureEdition], metrics=EXCHANGE_METRICS
) -> dict[str, list[KeyFigure]]:
    """The editions' published figures of each metric, oldest first."""
    figures: dict[str, list[KeyFigure]] = {metric: [] for metric in metrics}
    for edition in editions:
        for figure in edition.figures:
            figures[figure.metric].append(figure)
    for values in figures.values():
        values.sort(key=lambda figure: (figure.as_of, figure.edition.year))
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


def china_office_table(editions: list[BrochureEdition]) -> OfficeCountTable:
    """Offices in China per location (rows) and edition (columns, oldest first),
    from `editions_with_figures`.

    A location is recognised across editions by its Japanese name, the
    language the office keeps its lists in."""
    editions = [edition for edition in editions if edition.office_counts]
    column = {edition.year: index for index, edition in enumerate(editions)}
    rows: dict[str, OfficeCountRow] = {}
    for edition in editions:
        for count in edition.office_counts:
            key = first_filled(
                count, "location", settings.MODELTRANSLATION_DEFAULT_LANGUAGE
            )
            if key not in rows:
                rows[key] = OfficeCountRow(count, [None] * len(editions))
            rows[key].counts[column[edition.year]] = count.count
    totals = [
        sum(row.counts[index] or 0 for row in rows.values())
        for index in range(len(editions))
    ]
    return OfficeCountTable(editions, list(rows.values()), totals)


# The sections' records ------------------------------------------------------------


def lgotp_placements() -> QuerySet[LgotpPlacement]:
    return LgotpPlacement.objects.select_related(
        "host__prefecture", "sending_government__province"
    ).order_by("-fiscal_year", "position", "id")


def executive_seminars() -> QuerySet[ExecutiveSeminar]:
    """With the places visited as `visited_places`."""
    return ExecutiveSeminar.objects.annotate(
        visited_places=places_of(ExecutiveSeminar, "visited")
    ).order_by("-start_date")


def travel_expos() -> QuerySet[TravelExpo]:
    return TravelExpo.objects.select_related("city__province").order_by(
        "-fiscal_year", "start_date", "id"
    )


def cooking_events() -> QuerySet[CookingEvent]:
    """With the partner governments as `partner_places` and the dishes as
    `menu_items`."""
    menu = CookingMenuItem.objects.filter(event=OuterRef("pk"))
    return (
        CookingEvent.objects.select_related("city__province")
        .annotate(
            partner_places=places_of(CookingEvent, "partners"),
            menu_items=related_instances(
                menu.order_by("position", "id"), *get_translation_fields("name")
            ),
        )
        .order_by("-fiscal_year", "start_date", "id")
    )


def livestream_promotions() -> QuerySet[LivestreamPromotion]:
    """With the local governments presented as `government_places`."""
    return LivestreamPromotion.objects.annotate(
        government_places=places_of(LivestreamPromotion, "governments")
    ).order_by("-fiscal_year", "start_date", "id")


def media_collaborations() -> QuerySet[MediaCollaboration]:
    return MediaCollaboration.objects.order_by("-fiscal_year", "position", "id")


def exchange_page() -> dict:
    """What the exchange page shows: the first records of its recent fiscal
    years (SECTION_LIMIT per section), one query per section, one for the
    years, one for the newest editions' figures and one for the
    introductions. Its headline figures are the newest that these editions
    published."""
    years = fiscal_years(*(model.objects.all() for model in EXCHANGE_YEAR_MODELS))
    recent = {"fiscal_year__in": years.recent}
    editions = editions_with_figures()
    figures = key_figures(editions)
    lgotp = section_records(with_photos(lgotp_placements().filter(**recent)))
    expos = section_records(with_photos(travel_expos().filter(**recent)))
    cooking = section_records(with_photos(cooking_events().filter(**recent)))
    livestreams = section_records(with_photos(livestream_promotions().filter(**recent)))
    media = section_records(with_photos(media_collaborations().filter(**recent)))
    return {
        "sections": program_sections(),
        "latest_figures": {
            metric: values[-1] for metric, values in figures.items() if values
        },
        "edition_figures": figures_by_edition(figures),
        "office_table": china_office_table(editions),
        "lgotp": lgotp,
        "lgotp_years": by_fiscal_year(lgotp),
        "executive_seminars": section_records(
            with_photos(executive_seminars().filter(**recent))
        ),
        "travel_expos": expos,
        "travel_expo_photos": photos_in(expos),
        "cooking_events": cooking,
        "cooking_photos": photos_in(cooking),
        "livestreams": livestreams,
        "livestream_photos": photos_in(livestreams),
        "media": media,
        "media_years": by_fiscal_year(media),
        "recent_years": years.recent,
        "earlier_years": years.earlier,
    }
