"""The JET checks (jet.checks) on tables built by hand: the one definition
the JET page and check_data both use."""

from clair_portal.foundation.models import BrochureEdition
from jet.checks import (
    cumulative_falls,
    grouped,
    placement_mismatches,
    total_mismatches,
)
from jet.models import JetFigure, JetPlacement, Position
from jet.selectors import FigureTable

EDITIONS = {year: BrochureEdition(year=year) for year in (2023, 2024, 2025)}


def table(edition, fiscal_year, *, placements=(), **figures):
    """A FigureTable; figures as position=(serving, new, cumulative)."""
    result = FigureTable(EDITIONS[edition], fiscal_year)
    for position, (serving, new, cumulative) in figures.items():
        result.figures[Position[position]] = JetFigure(
            edition=EDITIONS[edition],
            fiscal_year=fiscal_year,
            position=Position[position],
            serving=serving,
            new=new,
            cumulative=cumulative,
        )
    for position, count in placements:
        result.placements[Position[position]].append(
            JetPlacement(position=Position[position], placement="福井県", count=count)
        )
    return result


def test_a_cumulative_figure_that_falls_in_a_later_edition():
    tables = [
        # Given out of order: the checks read editions oldest first.
        table(2025, 2024, TOTAL=(10, 2, 1428), ALT=(5, 1, 700)),
        table(2023, 2022, TOTAL=(10, 2, 1400), ALT=(5, 1, 720)),
        table(2024, 2023, TOTAL=(10, 2, 1435), ALT=(5, 1, None)),
    ]
    falls = cumulative_falls(tables)
    assert [(f.position, f.earlier.cumulative, f.later.cumulative) for f in falls] == [
        (Position.TOTAL, 1435, 1428),  # the total first: the brochures quote it
        (Position.ALT, 720, 700),  # across the edition that left it empty
    ]
    assert falls[0].is_total and not falls[1].is_total
    assert (falls[0].earlier_value, falls[0].later_value) == ("1,435", "1,428")
    assert falls[1].position_label == Position.ALT.label


def test_equal_or_rising_cumulative_figures_are_no_finding():
    tables = [
        table(2023, 2022, TOTAL=(1, 1, 1400)),
        table(2024, 2023, TOTAL=(1, 1, 1400)),
        table(2025, 2024, TOTAL=(1, 1, 1401)),
    ]
    assert cumulative_falls(tables) == []


def test_a_total_that_is_not_the_sum_of_its_positions():
    tables = [
        table(
            2024,
            2023,
            TOTAL=(30, 5, None),
            ALT=(20, 3, 500),
            CIR=(9, 2, 100),
        ),
        # A position without the count: that count is not checked.
        table(2025, 2024, TOTAL=(99, 4, 1), ALT=(20, None, 1), SEA=(1, 4, None)),
        # No positions: nothing to add up.
        table(2023, 2022, TOTAL=(1, 1, 1)),
    ]
    found = [
        (m.table.edition.year, m.count, m.published, m.added)
        for m in total_mismatches(tables)
    ]
    assert found == [(2024, "serving", 30, 29), (2025, "serving", 99, 21)]


def test_a_placement_breakdown_that_is_not_the_serving_participants():
    tables = [
        table(2024, 2023, ALT=(6, 1, 1), placements=[("ALT", 12), ("ALT", 8)]),
        table(2024, 2022, CIR=(3, 1, 1), placements=[("CIR", 1), ("CIR", 2)]),
        # No serving figure, or no figure at all: nothing to compare.
        table(2025, 2024, SEA=(None, 1, 1), placements=[("SEA", 4)]),
        table(2023, 2022, placements=[("ALT", 4)]),
    ]
    [mismatch] = placement_mismatches(tables)
    assert (mismatch.position, mismatch.placed, mismatch.serving) == (
        Position.ALT,
        20,
        6,
    )
    assert mismatch.table.fiscal_year == 2023
    assert mismatch.position_label == Position.ALT.label


def test_grouped_writes_thousands_as_both_brochures_do():
    assert grouped(1435) == "1,435"
    assert grouped(0) == "0"
    assert grouped(None) is None
