"""Reads of the JET page: the figures as each edition published them. Where
the editions disagree is for staff: check_data reports it (jet.checks over
these tables), the public page shows the figures as published."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.models import BrochureEdition, Photo
from clair_portal.foundation.selectors import (
    RECENT_EDITIONS,
    RECENT_YEARS,
    FiscalYears,
    fiscal_years,
)

from .checks import POSITIONS, grouped
from .models import JetFigure, JetPlacement, Position, ReturneeGathering

# Columns of a figure table, in the brochures' order: ALT, CIR, SEA, total.
COLUMNS = [
    (position, _("Total") if position == Position.TOTAL else position.label)
    for position in POSITIONS
]
ROWS = (
    ("serving", _("Serving")),
    ("new", _("New participants")),
    ("cumulative", _("Cumulative")),
)


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
        """(position label, placements) of the positions that have a breakdown,
        and, where the edition printed a breakdown, (label, []) for a position
        with no one serving (both brochures print "SEA: none")."""
        if not any(self.placements.values()):
            return []
        groups = []
        for position in POSITIONS:
            if position == Position.TOTAL:
                continue
            if self.placements.get(position):
                groups.append((position.label, self.placements[position]))
            elif getattr(self.figures.get(position), "serving", None) == 0:
                groups.append((position.label, []))
        return groups


@dataclass
class EditionFigures:
    edition: BrochureEdition
    tables: list[FigureTable]


@dataclass
class JetFigures:
    editions: list[EditionFigures]  # newest edition first
    chronological: list[FigureTable]  # oldest first: the chart's order


def newest_editions(newest: int = RECENT_EDITIONS):
    """The ids of the `newest` editions that published JET figures, as a
    subquery."""
    published = JetFigure.objects.filter(edition=OuterRef("pk"))
    return (
        BrochureEdition.objects.filter(Exists(published))
        .order_by("-year")
        .values("pk")[:newest]
    )


def figure_tables(editions=None) -> list[FigureTable]:
    """The JetFigures and JetPlacements of `editions` (a queryset or subquery
    of editions; every edition when None), one table per edition and fiscal
    year, oldest edition first, in two queries."""
    figures = JetFigure.objects.select_related("edition")
    placements = JetPlacement.objects.select_related("edition").order_by(
        "edition__year", "fiscal_year", "position", "sort_order", "id"
    )
    if editions is not None:
        figures = figures.filter(edition__in=editions)
        placements = placements.filter(edition__in=editions)
    tables: dict[tuple[int, int], FigureTable] = {}

    def table_of(row) -> FigureTable:
        key = (row.edition.year, row.fiscal_year)
        if key not in tables:
            tables[key] = FigureTable(row.edition, row.fiscal_year)
        return tables[key]

    for figure in figures:
        table_of(figure).figures[figure.position] = figure
    for placement in placements:
        table_of(placement).placements[placement.position].append(placement)
    return [tables[key] for key in sorted(tables)]


def jet_figures(newest: int = RECENT_EDITIONS) -> JetFigures:
    """The figure tables of the `newest` editions that published figures,
    grouped by edition, in two queries whatever the number of editions."""
    tables = figure_tables(newest_editions(newest))
    editions: dict[int, EditionFigures] = {}
    for table in sorted(tables, key=lambda t: (-t.edition.year, -t.fiscal_year)):
        editions.setdefault(
            table.edition.year, EditionFigures(table.edition, [])
        ).tables.append(table)

    return JetFigures(
        editions=list(editions.values()),
        chronological=sorted(tables, key=lambda t: (t.fiscal_year, t.edition.year)),
    )


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
    """The returnee gatherings of `fiscal_years` with their cities and photos,
    the newest first."""
    return (
        ReturneeGathering.objects.filter(fiscal_year__in=fiscal_years)
        .order_by("-fiscal_year", "-start_date", "-id")
        .select_related("city__province")
        .prefetch_related(
            Prefetch(
                "photos", queryset=Photo.objects.shown().order_by("position", "id")
            )
        )
    )


def jet_figure_rows():
    """Every JetFigure for the open-data CSV, edition by edition."""
    return JetFigure.objects.select_related("edition").order_by(
        "edition__year", "fiscal_year", "position"
    )
