"""Reads of the JET page: the figures as each edition published them, and where
the editions disagree (the same findings as clair_portal.features.data_checks, kept as
numbers so that the page can say them in its own language)."""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.models import BrochureEdition, Photo
from clair_portal.foundation.selectors import (
    RECENT_EDITIONS,
    RECENT_YEARS,
    FiscalYears,
    fiscal_years,
)

from .models import JetFigure, JetPlacement, Position, ReturneeGathering

# Columns of a figure table, in the brochures' order: ALT, CIR, SEA, total.
POSITIONS = tuple(Position)
COLUMNS = [
    (position, _("Total") if position == Position.TOTAL else position.label)
    for position in POSITIONS
]
ROWS = (
    ("serving", _("Serving")),
    ("new", _("New participants")),
    ("cumulative", _("Cumulative")),
)


def grouped(value: int | None) -> str | None:
    """1435 -> "1,435", as both brochures write it. Django's zh-Hans format
    would write 1435 (no separator), so numbers are not left to localize."""
    return None if value is None else f"{value:,}"


@dataclass
class FigureTable:
    """What one edition published for one fiscal year."""

    edition: BrochureEdition
    fiscal_year: int
    figures: dict[str, JetFigure] = field(default_factory=dict)  # by position
    placements: dict[str, list[JetPlacement]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @property
    def total(self) -> JetFigure | None:
        return self.figures.get(Position.TOTAL)

    @property
    def total_values(self) -> dict[str, str | None]:
        """The total's serving, new and cumulative, grouped (for the chart's table)."""
        return {
            column: grouped(getattr(self.total, column, None))
            for column, _label in ROWS
        }

    def rows(self):
        """(row label, [grouped value or None per column]) for serving, new, cumulative."""
        return [
            (
                label,
                [
                    grouped(getattr(self.figures.get(position), column, None))
                    for position in POSITIONS
                ],
            )
            for column, label in ROWS
        ]

    def placement_groups(self):
        """(position label, placements) of the positions that have a breakdown."""
        return [
            (position.label, self.placements[position])
            for position in POSITIONS
            if self.placements.get(position)
        ]


@dataclass
class EditionFigures:
    edition: BrochureEdition
    tables: list[FigureTable]


@dataclass(frozen=True)
class CumulativeFall:
    """A cumulative figure lower in a later edition than in an earlier one."""

    position: str
    position_label: str
    earlier: JetFigure
    later: JetFigure

    @property
    def is_total(self):
        return self.position == Position.TOTAL

    @property
    def earlier_value(self):
        return grouped(self.earlier.cumulative)

    @property
    def later_value(self):
        return grouped(self.later.cumulative)


@dataclass(frozen=True)
class PlacementMismatch:
    """A placement breakdown whose sum is not the serving participants reported."""

    table: FigureTable
    position_label: str
    placed: int
    serving: int


@dataclass
class JetFigures:
    editions: list[EditionFigures]  # newest edition first
    chronological: list[FigureTable]  # oldest first: the chart's order
    cumulative_falls: list[CumulativeFall]
    placement_mismatches: list[PlacementMismatch]

    @property
    def disagreements(self):
        return bool(self.cumulative_falls or self.placement_mismatches)


def newest_editions(newest: int = RECENT_EDITIONS):
    """The ids of the `newest` editions that published JET figures, as a
    subquery."""
    published = JetFigure.objects.filter(edition=OuterRef("pk"))
    return (
        BrochureEdition.objects.filter(Exists(published))
        .order_by("-year")
        .values("pk")[:newest]
    )


def jet_figures(newest: int = RECENT_EDITIONS) -> JetFigures:
    """The JetFigures and JetPlacements of the `newest` editions that published
    figures, grouped by edition and fiscal year, in two queries whatever the
    number of editions."""
    tables: dict[tuple[int, int], FigureTable] = {}
    editions = newest_editions(newest)

    def table_of(row) -> FigureTable:
        key = (row.edition.year, row.fiscal_year)
        if key not in tables:
            tables[key] = FigureTable(row.edition, row.fiscal_year)
        return tables[key]

    for figure in JetFigure.objects.filter(edition__in=editions).select_related(
        "edition"
    ):
        table_of(figure).figures[figure.position] = figure
    placements = (
        JetPlacement.objects.filter(edition__in=editions)
        .select_related("edition")
        .order_by("edition__year", "fiscal_year", "position", "sort_order", "id")
    )
    for placement in placements:
        table_of(placement).placements[placement.position].append(placement)

    chronological = [tables[key] for key in sorted(tables)]
    editions: dict[int, EditionFigures] = {}
    for table in sorted(chronological, key=lambda t: (-t.edition.year, -t.fiscal_year)):
        editions.setdefault(
            table.edition.year, EditionFigures(table.edition, [])
        ).tables.append(table)

    return JetFigures(
        editions=list(editions.values()),
        chronological=sorted(
            chronological, key=lambda t: (t.fiscal_year, t.edition.year)
        ),
        cumulative_falls=_cumulative_falls(chronological),
        placement_mismatches=_placement_mismatches(chronological),
    )


def _cumulative_falls(chronological: list[FigureTable]) -> list[CumulativeFall]:
    """As data_checks.jet_cumulative_falls: per position, edition after edition.
    The total comes first: it is the figure the brochures quote."""
    falls = []
    for position in (Position.TOTAL, *(p for p in POSITIONS if p != Position.TOTAL)):
        published = [
            table.figures[position]
            for table in chronological
            if position in table.figures
            and table.figures[position].cumulative is not None
        ]
        for earlier, later in pairwise(published):
            if later.cumulative < earlier.cumulative:
                falls.append(CumulativeFall(position, position.label, earlier, later))
    return falls


def _placement_mismatches(chronological: list[FigureTable]) -> list[PlacementMismatch]:
    """As data_checks.jet_placements_that_do_not_add_up."""
    mismatches = []
    for table in chronological:
        for position in POSITIONS:
            placements = table.placements.get(position)
            figure = table.figures.get(position)
            if not placements or figure is None or figure.serving is None:
                continue
            placed = sum(placement.count for placement in placements)
            if placed != figure.serving:
                mismatches.append(
                    PlacementMismatch(table, position.label, placed, figure.serving)
                )
    return mismatches


def jet_years(newest: int = RECENT_EDITIONS, recent: int = RECENT_YEARS) -> FiscalYears:
    """The `recent` fiscal years of returnee gatherings, which the page shows,
    and, as `earlier`, the fiscal years of the other gatherings and of the
    figures of editions older than the `newest`: in two queries."""
    gatherings = fiscal_years(ReturneeGathering.objects.all(), recent=recent)
    older_figures = (
        JetFigure.objects.exclude(edition__in=newest_editions(newest))
        .order_by()
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    earlier = set(gatherings.earlier).union(older_figures)
    return FiscalYears(recent=gatherings.recent, earlier=sorted(earlier, reverse=True))


def returnee_gatherings(fiscal_years: list[int]):
    """The returnee gatherings of `fiscal_years` with their cities and photos."""
    return (
        ReturneeGathering.objects.filter(fiscal_year__in=fiscal_years)
        .select_related("city__province")
        .prefetch_related(
            Prefetch("photos", queryset=Photo.objects.order_by("position", "id"))
        )
    )


def jet_figure_rows():
    """Every JetFigure for the open-data CSV, edition by edition."""
    return JetFigure.objects.select_related("edition").order_by(
        "edition__year", "fiscal_year", "position"
    )
