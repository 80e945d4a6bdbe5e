"""The brochure's sections, each declared once: its columns (a label and a
cell) and its rows for a fiscal year. The printed page (selectors.py) and
the CSV export (csv_sql.py) are both made from these declarations: each cell
is an ORM expression giving the cell's finished text (or number) in SQL, in
the language active when it is built (clair_portal/foundation/cells.py).

Most sections list one model's rows (`rows`, in `ordering`); a few gather
rows of several sources (`parts`: the key figures, the support figures), each
part with its own cells for the same columns.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Concat, RowNumber
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation import cells
from clair_portal.foundation.cells import DATES, FISCAL_YEAR, Column
from clair_portal.foundation.models import BrochureEdition, KeyFigure, Program
from exchange import columns as exchange
from exchange.models import (
    ChinaOfficeCount,
    CookingEvent,
    ExecutiveSeminar,
    LgotpPlacement,
    LivestreamPromotion,
    MediaCollaboration,
    TravelExpo,
)
from experts import columns as expert_columns
from experts.models import ExpertDispatch
from jet import columns as jet_columns
from jet.models import JetFigure, JetPlacement, Position, ReturneeGathering
from seminars import columns as seminar_columns
from seminars.models import Seminar, SeminarOrganiser, SeminarProgrammeDay
from support_requests.models import COUNTED as COUNTED_REQUESTS
from support_requests.models import (
    RequestKind,
    SupportExample,
    SupportRequest,
    SupportYearlyFigure,
)
from support_requests.selectors import FROM_REQUESTS, SOURCE_LABELS

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

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def available_fiscal_years() -> list[int]:
    """Fiscal years with records, newest first, in one query."""
    first, *others = [
        model._default_manager.order_by().values_list("fiscal_year", flat=True)
        for model in YEAR_MODELS
    ]
    return sorted(set(first.union(*others)), reverse=True)


def format_cell(value, *, grouping: bool = False) -> str:
    """A cell as the page prints it: text as it is, a number with its
    thousands grouped (1,435) when `grouping`, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}" if grouping else str(value)
    return str(value)


# Sections ----------------------------------------------------------------------------

RowsOfYear = Callable[[Expression], models.QuerySet]


def no_key(fiscal_year: Expression) -> Expression:
    return cells.text("")


@dataclass(frozen=True)
class Part:
    """Rows of a section from one source: `rows(fiscal_year)` (the year an
    expression: a value for the page, the query's parameter for the CSV);
    each row's place in the section (`rank`), its `key` (naming a key figure)
    and its cells, one per column of the section. `photos`: whether the page
    prints the photos of the rows' records."""

    rows: RowsOfYear
    cells: Callable[[Expression], tuple]
    rank: Callable[[Expression], Expression]
    key: Callable[[Expression], Expression] = no_key
    photos: bool = False

    def model(self) -> type[models.Model]:
        return self.rows(Value(0)).model


@dataclass(frozen=True)
class Section:
    """One table of the brochure and one CSV file of the export."""

    name: str  # the file's stem (and the page's anchor): stable, in English
    title: Promise
    columns: tuple[Column, ...]
    models: tuple[type[models.Model], ...]  # what it reads (for permissions)
    # "table": one line per record; "record": one record set out as a
    # two-column table (the seminar's and the executive seminar's reports).
    layout: str = "table"
    # Whether the printed brochure shows the photos of its records.
    photos: bool = True
    # The section's rows for a fiscal year, in `ordering`; each column's cell
    # is an expression over them...
    rows: RowsOfYear | None = None
    ordering: tuple = ()
    # ...or rows of several sources, each with its cells.
    parts: tuple[Part, ...] = ()

    @property
    def sources(self) -> tuple[Part, ...]:
        if self.rows is None:
            return self.parts
        return (
            Part(
                self.rows,
                lambda fiscal_year: tuple(column.cell() for column in self.columns),
                lambda fiscal_year: Window(RowNumber(), order_by=list(self.ordering)),
                photos=self.photos,
            ),
        )

    def cells(self, fiscal_year: Expression) -> list[tuple[Part, models.QuerySet]]:
        """Per source, its rows with their rank `n`, their record's id
        `record`, their `key` and their cells c0, c1..., in the active
        language."""
        queries = []
        for part in self.sources:
            rows = part.rows(fiscal_year)
            # modeltranslation's values_list() passes the names through a
            # set: the parts of a union must keep their columns' order.
            rows = rows.rewrite(False) if hasattr(rows, "rewrite") else rows
            values = part.cells(fiscal_year)
            queries.append(
                (
                    part,
                    rows.order_by().annotate(
                        n=part.rank(fiscal_year),
                        record=F("pk"),
                        key=part.key(fiscal_year),
                        **{f"c{i}": cell for i, cell in enumerate(values)},
                    ),
                )
            )
        return queries

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def header(self) -> list[str]:
        return [column.header() for column in self.columns]

    def display_title(self) -> str:
        return capfirst(str(self.title))


def reporting_edition_query(fiscal_year: Expression) -> models.QuerySet:
    """The id of the edition that reports the year, for a subquery: the next
    year's (the 2019 edition reports FY2018), else the newest before it, else
    the oldest."""
    reports = Q(year__lte=fiscal_year + 1)
    return BrochureEdition.objects.order_by(
        Case(When(reports, then=Value(0)), default=Value(1)),
        Case(
            When(reports, then=-F("year")),
            default=F("year"),
            output_field=models.IntegerField(),
        ),
    ).values("pk")[:1]


def one_of(rows: models.QuerySet) -> models.QuerySet:
    """One of `rows` (none if there are none): a row to hang a count on."""
    return rows.model.objects.filter(pk=Subquery(rows.order_by().values("pk")[:1]))


def seminar_of_the_year(fiscal_year: Expression) -> models.QuerySet:
    """The year's seminar. A year without one (FY2020-2022) reports the last
    one held, as the 2023 edition reports the 2019 seminar."""
    # Ordered by an expression: PostgreSQL then reads the few seminars up to
    # the year through their fiscal year, instead of walking the editions'
    # index backwards past every later one.
    latest = Seminar.objects.filter(fiscal_year__lte=fiscal_year).order_by(
        -F("edition")
    )
    return Seminar.objects.filter(pk=Subquery(latest.values("pk")[:1]))


def organisers(role: str):
    """The names of the seminar's organisers of a role, in their order."""
    names = SeminarOrganiser.objects.filter(seminar=OuterRef("pk"), role=role)
    return cells.joined(names.order_by("position", "pk"), cells.translated("name"))


def programme():
    """The seminar's days, one a line: date：what was done."""
    days = SeminarProgrammeDay.objects.filter(seminar=OuterRef("pk"))
    day = Concat(
        cells.date("date"),
        cells.text("："),
        cells.translated("description"),
        output_field=cells.TEXT,
    )
    return cells.joined(days.order_by("date", "pk"), day, separator="\n")


def published_jet_figures(fiscal_year: Expression) -> models.QuerySet[JetFigure]:
    """The JET figures published for the year: those of the edition of that
    year (the next year's), else those for that fiscal year in the newest
    edition reporting it. Kept as each edition published them: the editions
    disagree."""
    own = Q(edition__year=fiscal_year + 1)
    newest = (
        JetFigure.objects.filter(fiscal_year=fiscal_year)
        .order_by("-edition__year")
        .values("edition")[:1]
    )
    return JetFigure.objects.filter(
        own
        | (
            ~Exists(JetFigure.objects.filter(own))
            & Q(fiscal_year=fiscal_year, edition=Subquery(newest))
        )
    )


def jet_placements(fiscal_year: Expression) -> models.QuerySet[JetPlacement]:
    """The placements the JET figures' edition published with them."""
    published = published_jet_figures(fiscal_year).filter(
        edition=OuterRef("edition"), fiscal_year=OuterRef("fiscal_year")
    )
    return JetPlacement.objects.filter(Exists(published))


def requests_of_the_year(fiscal_year: Expression) -> models.QuerySet:
    """One request of the year per kind that the support page counts
    (COUNTED_REQUESTS: of its two kinds, taken up by the desk; a request anybody can
    send is not a figure the office publishes)."""
    first = (
        SupportRequest.objects.filter(COUNTED_REQUESTS, fiscal_year=fiscal_year)
        .order_by("kind", "pk")
        .distinct("kind")
    )
    return SupportRequest.objects.filter(pk__in=Subquery(first.values("pk")))


def requests_taken_up():
    """The requests of the row's year and kind that the support page counts."""
    return cells.count(
        SupportRequest.objects.filter(
            COUNTED_REQUESTS, fiscal_year=OuterRef("fiscal_year"), kind=OuterRef("kind")
        )
    )


def kind_rank():
    return cells.rank("kind", RequestKind.values)


def year_end(fiscal_year: Expression):
    """The last day of the fiscal year (fiscal_year_bounds()), written."""
    return cells.date(cells.make_date(fiscal_year + 1, 3, 31))


NO_NUMBER = Cast(Value(None), models.IntegerField())


def count_figure(fiscal_year: Expression, label, value) -> tuple:
    """The cells of a key figure counted in the year."""
    return (
        label,
        value,
        F("fiscal_year"),
        year_end(fiscal_year),
        cells.text(""),
    )


def key_figures() -> tuple[Part, ...]:
    """The year's key figures: cumulative figures as the reporting edition
    published them (the JET total among them, after the offices in China),
    then what the year's records count."""
    Metric = KeyFigure.Metric
    requests = capfirst(SOURCE_LABELS[FROM_REQUESTS])
    parts = [
        Part(
            lambda fy: KeyFigure.objects.filter(
                edition=Subquery(reporting_edition_query(fy))
            ),
            lambda fy: (
                cells.choice("metric", Metric.choices),
                F("value"),
                NO_NUMBER,
                cells.date("as_of"),
                cells.translated("edition__title"),
            ),
            lambda fy: 10 * cells.rank("metric", Metric.values),
            key=lambda fy: Cast("metric", cells.TEXT),
        ),
        Part(
            lambda fy: JetFigure.objects.filter(
                pk=Subquery(
                    published_jet_figures(fy)
                    .filter(position=Position.TOTAL, cumulative__isnull=False)
                    .order_by("-edition__year", "-fiscal_year")
                    .values("pk")[:1]
                )
            ),
            lambda fy: (
                cells.text(gettext("JET participants from China")),
                F("cumulative"),
                NO_NUMBER,
                cells.date(cells.make_date(F("fiscal_year"), 4, 1)),
                cells.translated("edition__title"),
            ),
            lambda fy: Value(15),
            key=lambda fy: cells.text("jet_participants"),
        ),
        Part(
            seminar_of_the_year,
            lambda fy: (
                cells.text(Program.SEMINARS.label),
                cells.count(Seminar.objects.filter(fiscal_year__lte=fy)),
                NO_NUMBER,
                year_end(fy),
                cells.text(""),
            ),
            lambda fy: Value(100),
            key=lambda fy: cells.text("seminars"),
        ),
        Part(
            lambda fy: SupportYearlyFigure.objects.filter(fiscal_year=fy),
            lambda fy: count_figure(
                fy, cells.choice("kind", RequestKind.choices), F("count")
            ),
            lambda fy: 200 + 2 * kind_rank(),
            key=lambda fy: Concat(cells.text("support_"), "kind"),
        ),
        Part(
            requests_of_the_year,
            lambda fy: count_figure(
                fy,
                Concat(
                    cells.text(f"{requests}（"),
                    cells.choice("kind", RequestKind.choices),
                    cells.text("）"),
                    output_field=cells.TEXT,
                ),
                requests_taken_up(),
            ),
            lambda fy: 201 + 2 * kind_rank(),
            key=lambda fy: Concat(cells.text("requests_"), "kind"),
        ),
    ]
    for i, (key, model) in enumerate(COUNTED):
        parts.append(
            Part(
                lambda fy, model=model: one_of(model.objects.filter(fiscal_year=fy)),
                lambda fy, model=model: count_figure(
                    fy,
                    cells.text(capfirst(model._meta.verbose_name_plural)),
                    cells.count(model.objects.filter(fiscal_year=fy)),
                ),
                lambda fy, i=i: Value(300 + i),
                key=lambda fy, key=key: cells.text(key),
            )
        )
    return tuple(parts)


# Records of the year counted for the key figures (a key names each figure).
COUNTED = [
    ("travel_expos", TravelExpo),
    ("cooking_events", CookingEvent),
    ("livestreams", LivestreamPromotion),
    ("lgotp_placements", LgotpPlacement),
    ("expert_dispatches", ExpertDispatch),
]

POSITION_ORDER = cells.rank("position", Position.values)

# The sections, in the brochure's order -------------------------------------------------

C = Column
Role = SeminarOrganiser.Role


def of_the_year(model: type[models.Model]):
    """The rows of a section listing `model`'s records of the year."""

    def rows(fiscal_year: Expression) -> models.QuerySet:
        return model.objects.filter(fiscal_year=fiscal_year)

    return rows


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
        ),
        (KeyFigure, JetFigure, Seminar, SupportYearlyFigure),
        photos=False,
        parts=key_figures(),
    ),
    Section(
        "offices_in_china",
        _("offices in China per location"),
        (
            C(_("location"), lambda: cells.translated("location")),
            C(_("offices"), lambda: F("count"), numeric=True),
        ),
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
            seminar_columns.NUMBER,
            FISCAL_YEAR,
            seminar_columns.HOST_CITY,
            seminar_columns.THEME,
        ),
        (Seminar,),
        photos=False,  # those of the seminar of the year only
        rows=lambda fiscal_year: Seminar.objects.filter(fiscal_year__lte=fiscal_year),
        ordering=("edition", "pk"),
    ),
    Section(
        "seminar_of_the_year",
        _("Report"),
        (
            seminar_columns.NUMBER,
            FISCAL_YEAR,
            DATES,
            seminar_columns.HOST_CITY,
            seminar_columns.THEME,
            C(_("organiser"), lambda: organisers(Role.ORGANISER)),
            C(_("co-organiser"), lambda: organisers(Role.CO_ORGANISER)),
            C(_("local host"), lambda: organisers(Role.HOST)),
            C(_("supporter"), lambda: organisers(Role.SUPPORTER)),
            C(
                _("participants from Japan"),
                lambda: F("participants_japan"),
                numeric=True,
            ),
            C(
                _("participants from China"),
                lambda: F("participants_china"),
                numeric=True,
            ),
            seminar_columns.PARTICIPANTS,
            C(_("Programme"), programme),
        ),
        (Seminar,),
        layout="record",
        rows=seminar_of_the_year,
        ordering=("edition",),
    ),
    Section(
        "support_figures",
        _("published support figures"),
        (
            FISCAL_YEAR,
            C(_("kind")),
            C(_("published support figure"), numeric=True),
            C(SOURCE_LABELS[FROM_REQUESTS], numeric=True),
        ),
        (SupportYearlyFigure,),
        parts=(
            Part(
                lambda fy: SupportYearlyFigure.objects.filter(fiscal_year=fy),
                lambda fy: (
                    F("fiscal_year"),
                    cells.choice("kind", RequestKind.choices),
                    F("count"),
                    requests_taken_up(),
                ),
                lambda fy: kind_rank(),
                photos=True,
            ),
            Part(
                lambda fy: requests_of_the_year(fy).exclude(
                    kind__in=SupportYearlyFigure.objects.filter(fiscal_year=fy).values(
                        "kind"
                    )
                ),
                lambda fy: (
                    F("fiscal_year"),
                    cells.choice("kind", RequestKind.choices),
                    NO_NUMBER,
                    requests_taken_up(),
                ),
                lambda fy: kind_rank(),
            ),
        ),
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
        (SupportExample,),
        rows=of_the_year(SupportExample),
        ordering=("position", "pk"),
    ),
    Section(
        "travel_expos",
        _("Travel expo exhibitions"),
        (
            exchange.NAME,
            DATES,
            exchange.VENUE,
            exchange.CITY,
            exchange.TRAVEL_EXPO_PARTNERS,
        ),
        (TravelExpo,),
        rows=of_the_year(TravelExpo),
        ordering=("start_date", "pk"),
    ),
    Section(
        "cooking_events",
        _("Cooking experience events"),
        (
            C(_("date"), lambda: cells.date("start_date")),
            exchange.CITY,
            exchange.COOKING_EVENT_PARTNERS,
            exchange.MENU,
        ),
        (CookingEvent,),
        rows=of_the_year(CookingEvent),
        ordering=("start_date", "pk"),
    ),
    Section(
        "livestreams",
        _("Livestream promotion"),
        (
            DATES,
            exchange.PLATFORM,
            exchange.LIVESTREAM_GOVERNMENTS,
        ),
        (LivestreamPromotion,),
        rows=of_the_year(LivestreamPromotion),
        ordering=("start_date", "pk"),
    ),
    Section(
        "jet_figures",
        _("JET figures"),
        jet_columns.JET_FIGURES,
        (JetFigure,),
        photos=False,
        rows=published_jet_figures,
        ordering=("-edition__year", "-fiscal_year", POSITION_ORDER, "pk"),
    ),
    Section(
        "jet_placements",
        _("JET placements"),
        (
            FISCAL_YEAR,
            jet_columns.POST,
            C(_("placement"), lambda: cells.translated("placement")),
            C(_("participants"), lambda: F("count"), numeric=True),
        ),
        (JetPlacement,),
        photos=False,
        rows=jet_placements,
        ordering=("-fiscal_year", POSITION_ORDER, "sort_order", "pk"),
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
        (ReturneeGathering,),
        rows=of_the_year(ReturneeGathering),
        ordering=("start_date", "pk"),
    ),
    Section(
        "lgotp_placements",
        _("LGOTP placements"),
        (
            exchange.LGOTP_HOST,
            exchange.LGOTP_SENDER,
            exchange.TRAINING_FIELDS,
        ),
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
            *expert_columns.DISPATCH,
        ),
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
