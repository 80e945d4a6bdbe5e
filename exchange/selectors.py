"""Reads of the exchange page: every section's records with what they show,
fetched in a number of queries that does not grow with the records."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject

from clair_portal.models import (
    BrochureEdition,
    JapaneseLocalGovernment,
    KeyFigure,
    Photo,
    Program,
    ProgramIntro,
)
from clair_portal.selectors import RECENT_EDITIONS, fiscal_years

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
        return photos_in(self.records)


def photos_in(records: Iterable) -> list[Photo]:
    """The photos of several records, annotated by `with_photos`."""
    return [photo for record in records for photo in record.photo_list]


def by_fiscal_year(records: Iterable) -> list[FiscalYearGroup]:
    """Records already ordered by fiscal year, grouped by it."""
    groups: list[FiscalYearGroup] = []
    for record in records:
        if not groups or groups[-1].fiscal_year != record.fiscal_year:
            groups.append(FiscalYearGroup(record.fiscal_year))
        groups[-1].records.append(record)
    return groups


# Related rows in their record's own row ---------------------------------------
# A record's places, menu items and photos come as an array in the record's row
# (ARRAY(SELECT jsonb_build_object(...) ...)), so each section is one query
# however many records it lists. Each JSON row is read back as an (unsaved)
# model instance, so templates, `{% localized %}` and `full_name()` read both
# languages as they read any record.


class _JSONInstance(models.JSONField):
    """A JSON object read back from the database as the instance `build` makes."""

    def __init__(self, build: Callable[[dict], models.Model]):
        super().__init__()
        self.build = build

    def from_db_value(self, value, expression, connection):
        return self.build(super().from_db_value(value, expression, connection))


def _instance(model: type[models.Model], row: dict) -> models.Model:
    """An instance of `model` from a JSON row of its field values (by attname)."""
    return model(
        **{
            name: model._meta.get_field(name).to_python(value)
            for name, value in row.items()
        }
    )


def related_instances(queryset: QuerySet, *fields: str, build=None) -> ArraySubquery:
    """The rows of `queryset` (filtered on an OuterRef, ordered) as a list of
    instances with `fields` (names or lookups), made by `build` (by default, an
    instance of the queryset's model)."""
    # annotate() then values(): modeltranslation's values(row=...) would select
    # every column too, and a subquery must select one.
    rows = queryset.annotate(row=JSONObject(**{name: name for name in fields}))
    return ArraySubquery(
        rows.values("row"),
        output_field=ArrayField(
            _JSONInstance(build or partial(_instance, queryset.model))
        ),
    )


_PLACE_FIELDS = ("id", "code", "kind", "name_ja", "name_zh_hans", "prefecture_id")
_PREFECTURE_FIELDS = {
    "prefecture__name_ja": "name_ja",
    "prefecture__name_zh_hans": "name_zh_hans",
}


def _place(row: dict) -> JapaneseLocalGovernment:
    """A place with its prefecture, from a row of `places_of`."""
    prefecture = {name: row.pop(path) for path, name in _PREFECTURE_FIELDS.items()}
    place = _instance(JapaneseLocalGovernment, row)
    if place.prefecture_id:
        place.prefecture = JapaneseLocalGovernment(
            pk=place.prefecture_id,
            kind=JapaneseLocalGovernment.Kind.PREFECTURE,
            **prefecture,
        )
    return place


def places_of(model: type[models.Model], field_name: str) -> ArraySubquery:
    """The Japanese local governments of a many-to-many field, in code order,
    with their prefectures."""
    query_name = model._meta.get_field(field_name).related_query_name()
    places = JapaneseLocalGovernment.objects.filter(
        **{query_name: OuterRef("pk")}
    ).order_by("code")
    return related_instances(places, *_PLACE_FIELDS, *_PREFECTURE_FIELDS, build=_place)


def with_photos(queryset: QuerySet) -> QuerySet:
    """The records of `queryset`, each with its photos as `photo_list`."""
    photos = Photo.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model),
        object_id=OuterRef("pk"),
    ).order_by("position", "id")
    return queryset.annotate(
        photo_list=related_instances(
            photos, "id", "image", "caption_ja", "caption_zh_hans", "position"
        )
    )


# The figures --------------------------------------------------------------------


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
                offices.order_by("position"), "location_ja", "location_zh_hans", "count"
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
            key = count.location_ja or count.location_zh_hans
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
                menu.order_by("position", "id"), "name_ja", "name_zh_hans"
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
    """What the exchange page shows: its recent fiscal years' records, one
    query per section, one for the years, one for the newest editions' figures
    and one for the introductions. Its headline figures are the newest that
    these editions published."""
    years = fiscal_years(*(model.objects.all() for model in EXCHANGE_YEAR_MODELS))
    recent = {"fiscal_year__in": years.recent}
    editions = editions_with_figures()
    figures = key_figures(editions)
    expos = list(with_photos(travel_expos().filter(**recent)))
    cooking = list(with_photos(cooking_events().filter(**recent)))
    livestreams = list(with_photos(livestream_promotions().filter(**recent)))
    return {
        "sections": program_sections(),
        "latest_figures": {
            metric: values[-1] for metric, values in figures.items() if values
        },
        "edition_figures": figures_by_edition(figures),
        "office_table": china_office_table(editions),
        "lgotp_years": by_fiscal_year(with_photos(lgotp_placements().filter(**recent))),
        "executive_seminars": list(with_photos(executive_seminars().filter(**recent))),
        "travel_expos": expos,
        "travel_expo_photos": photos_in(expos),
        "cooking_events": cooking,
        "cooking_photos": photos_in(cooking),
        "livestreams": livestreams,
        "livestream_photos": photos_in(livestreams),
        "media_years": by_fiscal_year(
            with_photos(media_collaborations().filter(**recent))
        ),
        "earlier_years": years.earlier,
    }
