"""The brochure's sections: for one fiscal year, each section's columns and rows.

The printed brochure (one table per section) reads its rows here; the CSV
export (one file per section) has PostgreSQL write the same rows as CSV lines
(csv_sql.py), and tests/brochure/test_csv_sql.py holds the two equal, byte
for byte. Rows are read in the active language (`translation.override`):
translated fields and place names follow it.

A section's records come from `records(year)`: one QuerySet (related rows
come along as arrays, not prefetched) that the page reads whole (every
section's together, in one query), or a short list for the computed sections;
`row(year, record)` gives its cells.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, models
from django.db.models import (
    Case,
    Count,
    Expression,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, NullIf, RowNumber
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from clair_portal.foundation import cells
from clair_portal.foundation.cells import Column
from clair_portal.foundation.fiscal import fiscal_year_bounds
from clair_portal.foundation.models import (
    BrochureEdition,
    JapaneseLocalGovernment,
    KeyFigure,
    Program,
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
from experts.models import ExpertDispatch
from jet.models import JetFigure, JetPlacement, Position, ReturneeGathering
from seminars.models import Seminar, SeminarOrganiser, SeminarProgrammeDay
from support_requests.models import (
    RequestKind,
    SupportExample,
    SupportRequest,
    SupportYearlyFigure,
)

# Records that belong to a fiscal year: a year has a brochure when one exists.
YEAR_MODELS = [
    Seminar,
    SupportYearlyFigure,
    SupportExample,
    TravelExpo,
    CookingEvent,
    LivestreamPromotion,
    JetFigure,
    ReturneeGathering,
    LgotpPlacement,
    ExecutiveSeminar,
    ExpertDispatch,
    MediaCollaboration,
]

LIST_SEPARATOR = "、"  # between names, in Japanese and in Chinese
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def available_fiscal_years() -> list[int]:
    """Fiscal years with records, newest first, in one query."""
    first, *others = [
        model._default_manager.order_by().values_list("fiscal_year", flat=True)
        for model in YEAR_MODELS
    ]
    return sorted(set(first.union(*others)), reverse=True)


# Cells -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From one day to another, written in the active language."""

    start: datetime.date
    end: datetime.date | None = None

    def __str__(self):
        if self.end is None or self.end == self.start:
            return date_format(self.start)
        # Translators: a period of days, e.g. 2018年6月15日～2018年6月17日.
        return gettext("%(start)s – %(end)s") % {
            "start": date_format(self.start),
            "end": date_format(self.end),
        }


def period(start, end=None) -> Period | None:
    return Period(start, end) if start else None


def format_cell(value, *, grouping: bool = False) -> str:
    """A cell as text in the active language; `grouping` writes 1,435 for
    1435 (the printed page; the CSV keeps plain numbers)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}" if grouping else str(value)
    if isinstance(value, datetime.date):
        return date_format(value)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(
            text
            for text in (format_cell(item, grouping=grouping) for item in value)
            if text
        )
    return str(value)


# Sections ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One table of the brochure and one CSV file of the export."""

    name: str  # the file's stem (and the page's anchor): stable, in English
    title: Promise
    columns: tuple[Column, ...]
    records: Callable[["BrochureYear"], Iterable] | None  # a QuerySet, or a list
    row: Callable[["BrochureYear", object], tuple] | None
    models: tuple[type[models.Model], ...]  # what it reads (for permissions)
    # "table": one line per record; "record": one record set out as a
    # two-column table (the seminar's and the executive seminar's reports).
    layout: str = "table"
    # Whether the printed brochure shows the photos of its records.
    photos: bool = True
    # A declared section: its rows for a fiscal year (an expression: a value
    # for the page, the query's parameter for the CSV), in `ordering`; each
    # column's cell is an expression over them.
    rows: Callable[[Expression], models.QuerySet] | None = None
    ordering: tuple[str, ...] = ()

    @property
    def declared(self) -> bool:
        return self.rows is not None

    def rank(self) -> Window:
        """A row's rank in the section."""
        return Window(RowNumber(), order_by=list(self.ordering))

    def cells(self, fiscal_year: Expression) -> models.QuerySet:
        """The section's rows with their rank `n` and their cells c0, c1...,
        in the active language."""
        return (
            self.rows(fiscal_year)
            .order_by()
            .annotate(
                n=self.rank(),
                **{f"c{i}": column.cell() for i, column in enumerate(self.columns)},
            )
        )

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def header(self) -> list[str]:
        return [capfirst(str(column.label)) for column in self.columns]

    def display_title(self) -> str:
        return capfirst(str(self.title))


# What a year's sections share ---------------------------------------------------------
# Each lookup is a query and what the year keeps of its rows. BrochureYear runs
# each query when first used; selectors.year_with_lookups() reads most of them
# in one query and gives the year what it keeps (the printed page does).


def editions_query() -> models.QuerySet[BrochureEdition]:
    """Every edition, newest first: a few rows, one per year."""
    return BrochureEdition.objects.order_by("-year")


def reporting_edition(
    editions: Iterable[BrochureEdition], fiscal_year: int
) -> BrochureEdition | None:
    """Of `editions` (newest first), the one that reports the year: the next
    year's (the 2019 edition reports FY2018), else the newest before it, else
    the oldest."""
    editions = list(editions)
    for edition in editions:
        if edition.year <= fiscal_year + 1:
            return edition
    return editions[-1] if editions else None


def reporting_edition_query(fiscal_year: Expression) -> models.QuerySet:
    """The id of the edition that reports the year, as reporting_edition()
    chooses it, for a subquery."""
    reports = Q(year__lte=fiscal_year + 1)
    return BrochureEdition.objects.order_by(
        Case(When(reports, then=Value(0)), default=Value(1)),
        Case(
            When(reports, then=-F("year")),
            default=F("year"),
            output_field=models.IntegerField(),
        ),
    ).values("pk")[:1]


def jet_figures_query(fiscal_year: int) -> models.QuerySet[JetFigure]:
    """The JET figures that may be the year's (see published_jet_figures), with
    their editions: a few rows per edition."""
    return (
        JetFigure.objects.filter(
            Q(edition__year=fiscal_year + 1) | Q(fiscal_year=fiscal_year)
        )
        .select_related("edition")
        .order_by("-edition__year", "-fiscal_year", _POSITION_ORDER)
    )


def published_jet_figures(
    candidates: Iterable[JetFigure], fiscal_year: int
) -> list[JetFigure]:
    """The JET figures published for the year, of the rows of
    jet_figures_query(): those of the edition of that year (the next year's),
    else those for that fiscal year in the newest edition reporting it. Kept
    as each edition published them: the editions disagree."""
    candidates = list(candidates)
    own = [figure for figure in candidates if figure.edition.year == fiscal_year + 1]
    if own:
        return own
    reporting = [figure for figure in candidates if figure.fiscal_year == fiscal_year]
    newest = reporting[0].edition_id if reporting else None
    return [figure for figure in reporting if figure.edition_id == newest]


def places_query() -> models.QuerySet[JapaneseLocalGovernment]:
    """Every Japanese local government: rows name them through arrays of ids.
    A bounded table (prefectures and municipalities)."""
    return JapaneseLocalGovernment.objects.select_related("prefecture").order_by("code")


def support_figures_query(fiscal_year: int) -> models.QuerySet[SupportYearlyFigure]:
    return SupportYearlyFigure.objects.filter(fiscal_year=fiscal_year).order_by("kind")


def support_requests_query(fiscal_year: int) -> models.QuerySet:
    """The requests received through the portal in the year: {"kind", "n"}
    per kind."""
    return (
        SupportRequest.objects.filter(fiscal_year=fiscal_year)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
    )


def support_counts_of(
    published: Iterable[SupportYearlyFigure], received: Iterable[dict]
) -> list["SupportCount"]:
    """Each kind of support with a published figure or a request, from the
    rows of support_figures_query() and support_requests_query()."""
    published = {figure.kind: figure for figure in published}
    received = {row["kind"]: row["n"] for row in received}
    return [
        SupportCount(kind, published.get(kind), received.get(kind, 0))
        for kind in RequestKind.values
        if kind in published or received.get(kind)
    ]


def key_figures_query(edition: BrochureEdition | None) -> models.QuerySet[KeyFigure]:
    """The key figures an edition published."""
    return KeyFigure.objects.filter(edition=edition).order_by("metric", "as_of")


class BrochureYear:
    """What a fiscal year's sections share, each looked up once: the edition
    that reports the year, its JET figures and key figures, the support
    figures, the Japanese local governments, the records counted. Create it
    with the export's language active.

    Each lookup runs its query when first used, unless it was set from rows
    fetched together (selectors.year_with_lookups, printed_brochure)."""

    def __init__(self, fiscal_year: int):
        self.fiscal_year = fiscal_year
        self.start, self.end = fiscal_year_bounds(fiscal_year)

    @cached_property
    def edition(self) -> BrochureEdition | None:
        return reporting_edition(editions_query(), self.fiscal_year)

    @cached_property
    def jet_figures(self) -> list[JetFigure]:
        fy = self.fiscal_year
        return published_jet_figures(jet_figures_query(fy), fy)

    @cached_property
    def japanese_places(self) -> dict[int, JapaneseLocalGovernment]:
        """Every Japanese local government, by id."""
        return {place.pk: place for place in places_query()}

    def place_names(self, ids) -> list[str]:
        return [self.japanese_places[pk].full_name() for pk in ids or []]

    @cached_property
    def support_counts(self) -> list["SupportCount"]:
        fy = self.fiscal_year
        return support_counts_of(support_figures_query(fy), support_requests_query(fy))

    @cached_property
    def key_figures(self) -> dict[str, KeyFigure]:
        """The key figures the edition published, by metric."""
        figures = key_figures_query(self.edition)
        return {figure.metric: figure for figure in figures}

    @cached_property
    def record_counts(self) -> dict[str, int]:
        """How many records each of COUNTED has."""
        return _counts(self.fiscal_year)


# Related rows come as arrays in their record's own query (one query per
# section, streamed): names of translated rows in the active language, and
# Japanese local governments as ids, named by BrochureYear.place_names().


def _localized(path: str) -> Coalesce:
    """A translated column in the active language, else in the other one (as
    modeltranslation falls back)."""
    current = translation.get_language()
    codes = sorted(LANGUAGE_CODES, key=lambda code: code != current)
    return Coalesce(
        *[
            NullIf(F(build_localized_fieldname(path, code)), Value(""))
            for code in codes
        ],
        output_field=models.CharField(),
    )


def _texts(queryset, field: str, *ordering: str) -> ArraySubquery:
    """The translated `field` of each row of `queryset`, in order."""
    return ArraySubquery(
        queryset.order_by(*ordering).annotate(text=_localized(field)).values("text")
    )


def _place_ids(model: type[models.Model], field_name: str) -> ArraySubquery:
    """The ids of the Japanese local governments of a many-to-many field."""
    query_name = model._meta.get_field(field_name).related_query_name()
    return ArraySubquery(
        JapaneseLocalGovernment.objects.filter(**{query_name: OuterRef("pk")})
        .order_by("code")
        .values("pk")
    )


# The Japan-China Regional Exchange Seminar


def seminar_of_the_year(year: BrochureYear):
    """The year's seminar. A year without one (FY2020-2022) reports the last
    one held, as the 2023 edition reports the 2019 seminar."""
    organisers = SeminarOrganiser.objects.filter(seminar=OuterRef("pk"))
    programme = SeminarProgrammeDay.objects.filter(seminar=OuterRef("pk"))
    Role = SeminarOrganiser.Role
    return (
        Seminar.objects.filter(fiscal_year__lte=year.fiscal_year)
        .select_related("host_city__province")
        .annotate(
            **{
                f"{role}_names": _texts(
                    organisers.filter(role=role), "name", "position", "pk"
                )
                for role in Role.values
            },
            programme_dates=ArraySubquery(
                programme.order_by("date", "pk").values("date")
            ),
            programme_texts=_texts(programme, "description", "date", "pk"),
        )
        .order_by("-edition")[:1]
    )


def seminar_report_row(year: BrochureYear, seminar: Seminar) -> tuple:
    programme = "\n".join(
        f"{date_format(day)}：{text or ''}"
        for day, text in zip(
            seminar.programme_dates, seminar.programme_texts, strict=True
        )
    )
    Role = SeminarOrganiser.Role
    return (
        seminar.edition,
        seminar.fiscal_year,
        period(seminar.start_date, seminar.end_date),
        seminar.host_city.full_name(),
        seminar.theme,
        seminar.organiser_names,
        getattr(seminar, f"{Role.CO_ORGANISER}_names"),
        getattr(seminar, f"{Role.HOST}_names"),
        getattr(seminar, f"{Role.SUPPORTER}_names"),
        seminar.participants_japan,
        seminar.participants_china,
        seminar.participants_total,
        programme,
    )


# Activity support and overseas research


@dataclass(frozen=True)
class SupportCount:
    """One kind of support in a year: the published figure and the requests
    received through the portal."""

    kind: str
    published: SupportYearlyFigure | None
    received: int

    @property
    def photo_subject(self):
        return self.published


def support_counts(year: BrochureYear) -> list[SupportCount]:
    return year.support_counts


def support_count_row(year: BrochureYear, count: SupportCount) -> tuple:
    return (
        year.fiscal_year,
        RequestKind(count.kind).label,
        count.published.count if count.published else None,
        count.received,
    )


# Economic exchange


# JET Programme

_POSITION_ORDER = Case(
    *[When(position=code, then=Value(i)) for i, code in enumerate(Position.values)],
    output_field=models.IntegerField(),
)


def jet_figures(year: BrochureYear) -> list[JetFigure]:
    return year.jet_figures


def jet_figure_row(year: BrochureYear, figure: JetFigure) -> tuple:
    return (
        figure.edition.title,
        figure.fiscal_year,
        figure.get_position_display(),
        figure.serving,
        figure.new,
        figure.cumulative,
    )


def jet_placements(year: BrochureYear):
    """The placements the JET figures' edition published with them."""
    sources = Q()
    for edition_id, fiscal_year in {
        (figure.edition_id, figure.fiscal_year) for figure in year.jet_figures
    }:
        sources |= Q(edition_id=edition_id, fiscal_year=fiscal_year)
    if not sources:
        sources = Q(pk__in=[])
    return JetPlacement.objects.filter(sources).order_by(
        "-fiscal_year", _POSITION_ORDER, "sort_order", "pk"
    )


def jet_placement_row(year: BrochureYear, placement: JetPlacement) -> tuple:
    return (
        placement.fiscal_year,
        placement.get_position_display(),
        placement.placement,
        placement.count,
    )


# LGOTP and the executive seminar


# Expert dispatch


# Media and universities


# The office


# Headline figures


@dataclass(frozen=True)
class Figure:
    """A headline figure: published by an edition, or counted from records."""

    key: str
    label: str
    value: int
    as_of: datetime.date | None
    fiscal_year: int | None = None  # set for counts of the year
    edition: BrochureEdition | None = None
    note: str = ""

    @property
    def display_value(self) -> str:
        return format_cell(self.value, grouping=True)


# Records counted for the headline figures: (key, model, counted up to the
# year rather than in it). Each key also names the section that lists those
# records: the printed brochure, which has their rows, counts them instead.
COUNTED = [
    ("seminars", Seminar, True),
    ("travel_expos", TravelExpo, False),
    ("cooking_events", CookingEvent, False),
    ("livestreams", LivestreamPromotion, False),
    ("lgotp_placements", LgotpPlacement, False),
    ("expert_dispatches", ExpertDispatch, False),
]


def _counts(fiscal_year: int) -> dict[str, int]:
    """How many records each of COUNTED has, in one query. (Written in SQL:
    the ORM orders a union's columns differently for translated models.)"""
    quote = connection.ops.quote_name
    parts, params = [], []
    for key, model, to_date in COUNTED:
        operator = "<=" if to_date else "="
        parts.append(
            f"SELECT %s, COUNT(*) FROM {quote(model._meta.db_table)} "
            f"WHERE {quote('fiscal_year')} {operator} %s"
        )
        params += [key, fiscal_year]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return dict(cursor.fetchall())


def headline_figures(year: BrochureYear) -> list[Figure]:
    """The year's key figures: cumulative figures as the reporting edition
    published them, then what the year's records count."""
    fy = year.fiscal_year
    published = year.key_figures
    figures = []

    def add_published(metric):
        if metric in published:
            figure = published[metric]
            figures.append(
                Figure(
                    metric,
                    figure.get_metric_display(),
                    figure.value,
                    figure.as_of,
                    edition=year.edition,
                    note=figure.note,
                )
            )

    Metric = KeyFigure.Metric
    add_published(Metric.SISTER_CITIES)
    add_published(Metric.OFFICES_IN_CHINA)
    totals = [
        figure
        for figure in year.jet_figures
        if figure.position == Position.TOTAL and figure.cumulative is not None
    ]
    if totals:
        jet_total = totals[0]
        figures.append(
            Figure(
                "jet_participants",
                gettext("JET participants from China"),
                jet_total.cumulative,
                datetime.date(jet_total.fiscal_year, 4, 1),
                edition=jet_total.edition,
            )
        )
    add_published(Metric.LGOTP_TRAINEES)
    add_published(Metric.EXECUTIVE_SEMINAR_PARTICIPANTS)
    add_published(Metric.EXPERTS_DISPATCHED)
    counts = year.record_counts
    figures.append(
        Figure(
            "seminars", str(Program.SEMINARS.label), counts.get("seminars", 0), year.end
        )
    )
    for count in year.support_counts:
        label = RequestKind(count.kind).label
        if count.published:
            figures.append(
                Figure(
                    f"support_{count.kind}",
                    str(label),
                    count.published.count,
                    year.end,
                    fiscal_year=fy,
                )
            )
        if count.received:
            requests = capfirst(SupportRequest._meta.verbose_name_plural)
            figures.append(
                Figure(
                    f"requests_{count.kind}",
                    f"{requests}（{label}）",
                    count.received,
                    year.end,
                    fiscal_year=fy,
                )
            )
    for key, model, _to_date in COUNTED[1:]:
        if counts.get(key):
            figures.append(
                Figure(
                    key,
                    str(capfirst(model._meta.verbose_name_plural)),
                    counts[key],
                    year.end,
                    fiscal_year=fy,
                )
            )
    return figures


def figure_row(year: BrochureYear, figure: Figure) -> tuple:
    return (
        figure.label,
        figure.value,
        figure.fiscal_year,
        figure.as_of,
        figure.edition.title if figure.edition else None,
        figure.note,
    )


# The sections, in the brochure's order -------------------------------------------------

C = Column
FISCAL_YEAR = C(_("fiscal year"), lambda: F("fiscal_year"))
DATES = C(_("Dates"), lambda: cells.period("start_date", "end_date"))


def of_the_year(model: type[models.Model]):
    """The rows of a section listing `model`'s records of the year."""

    def rows(fiscal_year: Expression) -> models.QuerySet:
        return model.objects.filter(fiscal_year=fiscal_year)

    return rows


def menu():
    """A cooking event's dishes, in their order."""
    dishes = CookingMenuItem.objects.filter(event=OuterRef("pk"))
    return cells.joined(dishes.order_by("position", "pk"), cells.translated("name"))


SECTIONS: list[Section] = [
    Section(
        "summary",
        _("Key figures"),
        (
            C(_("figure")),
            C(_("value"), numeric=True),
            FISCAL_YEAR,
            C(_("as of")),
            C(_("edition")),
            C(_("note")),
        ),
        headline_figures,
        figure_row,
        (KeyFigure, JetFigure, Seminar, SupportYearlyFigure),
        photos=False,
    ),
    Section(
        "offices_in_china",
        _("offices in China per location"),
        (
            C(_("location"), lambda: cells.translated("location")),
            C(_("offices"), lambda: F("count"), numeric=True),
        ),
        None,
        None,
        (ChinaOfficeCount,),
        photos=False,
        rows=lambda fiscal_year: ChinaOfficeCount.objects.filter(
            edition=Subquery(reporting_edition_query(fiscal_year))
        ),
        ordering=("position", "pk"),
    ),
    Section(
        "seminars",
        _("Venues and themes of every edition"),
        (
            C(_("seminar number"), lambda: F("edition")),
            FISCAL_YEAR,
            C(_("host city"), lambda: cells.chinese_name("host_city")),
            C(_("theme"), lambda: cells.translated("theme")),
        ),
        None,
        None,
        (Seminar,),
        photos=False,  # those of the seminar of the year only
        rows=lambda fiscal_year: Seminar.objects.filter(fiscal_year__lte=fiscal_year),
        ordering=("edition", "pk"),
    ),
    Section(
        "seminar_of_the_year",
        _("Report"),
        (
            C(_("seminar number")),
            FISCAL_YEAR,
            DATES,
            C(_("host city")),
            C(_("theme")),
            C(_("organiser")),
            C(_("co-organiser")),
            C(_("local host")),
            C(_("supporter")),
            C(_("participants from Japan"), numeric=True),
            C(_("participants from China"), numeric=True),
            C(_("participants"), numeric=True),
            C(_("Programme")),
        ),
        seminar_of_the_year,
        seminar_report_row,
        (Seminar,),
        layout="record",
    ),
    Section(
        "support_figures",
        _("published support figures"),
        (
            FISCAL_YEAR,
            C(_("kind")),
            C(_("published support figure"), numeric=True),
            C(_("support requests"), numeric=True),
        ),
        support_counts,
        support_count_row,
        (SupportYearlyFigure,),
    ),
    Section(
        "support_examples",
        _("support examples"),
        (
            C(_("title"), lambda: cells.translated("title")),
            DATES,
            C(_("places"), lambda: cells.translated("places")),
            C(_("participants"), lambda: cells.translated("participants")),
            C(_("support given"), lambda: cells.translated("support_content")),
            C(
                _("local governments"),
                lambda: cells.japanese_names(SupportExample, "governments"),
            ),
        ),
        None,
        None,
        (SupportExample,),
        rows=of_the_year(SupportExample),
        ordering=("position", "pk"),
    ),
    Section(
        "travel_expos",
        _("Travel expo exhibitions"),
        (
            C(_("name"), lambda: cells.translated("name")),
            DATES,
            C(_("venue"), lambda: cells.translated("venue")),
            C(_("city"), lambda: cells.chinese_name("city")),
            C(
                _("partner governments"),
                lambda: cells.japanese_names(TravelExpo, "partners"),
            ),
        ),
        None,
        None,
        (TravelExpo,),
        rows=of_the_year(TravelExpo),
        ordering=("start_date", "pk"),
    ),
    Section(
        "cooking_events",
        _("Cooking experience events"),
        (
            C(_("date"), lambda: cells.date("start_date")),
            C(_("city"), lambda: cells.chinese_name("city")),
            C(
                _("partner governments"),
                lambda: cells.japanese_names(CookingEvent, "partners"),
            ),
            C(_("menu"), menu),
        ),
        None,
        None,
        (CookingEvent,),
        rows=of_the_year(CookingEvent),
        ordering=("start_date", "pk"),
    ),
    Section(
        "livestreams",
        _("Livestream promotion"),
        (
            DATES,
            C(_("platform"), lambda: cells.translated("platform")),
            C(
                _("local governments"),
                lambda: cells.japanese_names(LivestreamPromotion, "governments"),
            ),
        ),
        None,
        None,
        (LivestreamPromotion,),
        rows=of_the_year(LivestreamPromotion),
        ordering=("start_date", "pk"),
    ),
    Section(
        "jet_figures",
        _("JET figures"),
        (
            C(_("edition")),
            FISCAL_YEAR,
            C(_("post")),
            C(_("serving"), numeric=True),
            C(_("new participants"), numeric=True),
            C(_("cumulative"), numeric=True),
        ),
        jet_figures,
        jet_figure_row,
        (JetFigure,),
        photos=False,
    ),
    Section(
        "jet_placements",
        _("JET placements"),
        (
            FISCAL_YEAR,
            C(_("post")),
            C(_("placement")),
            C(_("participants"), numeric=True),
        ),
        jet_placements,
        jet_placement_row,
        (JetPlacement,),
        photos=False,
    ),
    Section(
        "jet_gatherings",
        _("returnee gatherings"),
        (
            C(_("title"), lambda: cells.translated("title")),
            DATES,
            C(_("city"), lambda: cells.chinese_name("city")),
            C(_("description"), lambda: cells.translated("description")),
        ),
        None,
        None,
        (ReturneeGathering,),
        rows=of_the_year(ReturneeGathering),
        ordering=("start_date", "pk"),
    ),
    Section(
        "lgotp_placements",
        _("LGOTP placements"),
        (
            C(_("host in Japan"), lambda: cells.japanese_name("host")),
            C(
                _("sending government"),
                lambda: cells.chinese_name("sending_government"),
            ),
            C(_("fields of training"), lambda: cells.translated("training_fields")),
            C(_("editorial note"), lambda: cells.translated("note")),
        ),
        None,
        None,
        (LgotpPlacement,),
        rows=of_the_year(LgotpPlacement),
        ordering=("position", "pk"),
    ),
    Section(
        "executive_seminar",
        _("Executive exchange seminar"),
        (
            DATES,
            C(_("theme"), lambda: cells.translated("theme")),
            C(_("summary"), lambda: cells.translated("summary")),
            C(
                _("places visited"),
                lambda: cells.japanese_names(ExecutiveSeminar, "visited"),
            ),
        ),
        None,
        None,
        (ExecutiveSeminar,),
        layout="record",
        rows=of_the_year(ExecutiveSeminar),
        ordering=("start_date", "pk"),
    ),
    Section(
        "expert_dispatches",
        _("expert dispatches"),
        (
            DATES,
            C(_("destination"), lambda: cells.chinese_name("destination")),
            C(_("field"), lambda: cells.translated("field__name")),
            C(_("subject"), lambda: cells.translated("subject")),
            C(_("expert"), lambda: cells.translated("expert")),
        ),
        None,
        None,
        (ExpertDispatch,),
        rows=of_the_year(ExpertDispatch),
        ordering=("start_date", "pk"),
    ),
    Section(
        "media_collaborations",
        _("Media and university collaborations"),
        (
            C(
                _("kind"),
                lambda: cells.choice("kind", MediaCollaboration.Kind.choices),
            ),
            C(_("title"), lambda: cells.translated("title")),
            C(_("detail"), lambda: cells.translated("detail")),
        ),
        None,
        None,
        (MediaCollaboration,),
        rows=of_the_year(MediaCollaboration),
        ordering=("position", "pk"),
    ),
]

SECTIONS_BY_NAME = {section.name: section for section in SECTIONS}


def export_permissions() -> list[str]:
    """View permission on every model the brochure reads."""
    return sorted(
        {
            f"{model._meta.app_label}.view_{model._meta.model_name}"
            for section in SECTIONS
            for model in section.models
        }
    )
