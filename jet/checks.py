"""Where the JET figures contradict themselves, written once.

The figures are kept as each edition published them, not corrected. These
checks read figure tables (jet.selectors.FigureTable: what one edition
published for one fiscal year) and say where they disagree, for staff:
check_data reports them (clair_portal.features.data_checks, over every
edition); the public JET page shows the figures as published, without them.
They only read what they are given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from .models import JetFigure, Position

if TYPE_CHECKING:
    from .selectors import FigureTable

# The brochures' order: ALT, CIR, SEA, total.
POSITIONS = tuple(Position)
PARTS = tuple(position for position in POSITIONS if position != Position.TOTAL)
COUNTS = ("serving", "new", "cumulative")


def grouped(value: int | None) -> str | None:
    """1435 -> "1,435", as both brochures write it. Django's zh-Hans format
    would write 1435 (no separator), so numbers are not left to localize."""
    return None if value is None else f"{value:,}"


@dataclass(frozen=True)
class CumulativeFall:
    """A cumulative figure lower in a later edition than in an earlier one."""

    position: Position
    earlier: JetFigure
    later: JetFigure

    @property
    def is_total(self):
        return self.position == Position.TOTAL

    @property
    def position_label(self):
        return Position(self.position).label

    @property
    def earlier_value(self):
        return grouped(self.earlier.cumulative)

    @property
    def later_value(self):
        return grouped(self.later.cumulative)


@dataclass(frozen=True)
class TotalMismatch:
    """A published total (serving, new or cumulative) that is not the sum of
    the positions the same table published."""

    table: FigureTable
    count: str  # one of COUNTS
    published: int
    added: int


@dataclass(frozen=True)
class PlacementMismatch:
    """A placement breakdown whose sum is not the serving participants reported."""

    table: FigureTable
    position: Position
    placed: int
    serving: int

    @property
    def position_label(self):
        return Position(self.position).label


def _in_order(tables: Iterable[FigureTable]) -> list[FigureTable]:
    return sorted(tables, key=lambda table: (table.edition.year, table.fiscal_year))


def cumulative_falls(tables: Iterable[FigureTable]) -> list[CumulativeFall]:
    """Per position, each published cumulative figure against the next one,
    edition after edition (a fiscal year after another within an edition).
    The total comes first: it is the figure the brochures quote."""
    tables = _in_order(tables)
    falls = []
    for position in (Position.TOTAL, *PARTS):
        published = [
            table.figures[position]
            for table in tables
            if position in table.figures
            and table.figures[position].cumulative is not None
        ]
        for earlier, later in pairwise(published):
            if later.cumulative < earlier.cumulative:
                falls.append(CumulativeFall(position, earlier, later))
    return falls


def total_mismatches(tables: Iterable[FigureTable]) -> list[TotalMismatch]:
    """Each count of a published total against the sum of the same table's
    positions, when the total and every position published that count."""
    mismatches = []
    for table in _in_order(tables):
        total = table.figures.get(Position.TOTAL)
        parts = [table.figures[p] for p in PARTS if p in table.figures]
        if total is None or not parts:
            continue
        for count in COUNTS:
            published = getattr(total, count)
            values = [getattr(part, count) for part in parts]
            if published is None or None in values:
                continue
            if sum(values) != published:
                mismatches.append(TotalMismatch(table, count, published, sum(values)))
    return mismatches


def placement_mismatches(tables: Iterable[FigureTable]) -> list[PlacementMismatch]:
    """Each position's placement breakdown against its serving participants,
    when the same table published both."""
    mismatches = []
    for table in _in_order(tables):
        for position in POSITIONS:
            placements = table.placements.get(position)
            figure = table.figures.get(position)
            if not placements or figure is None or figure.serving is None:
                continue
            placed = sum(placement.count for placement in placements)
            if placed != figure.serving:
                mismatches.append(
                    PlacementMismatch(table, position, placed, figure.serving)
                )
    return mismatches
