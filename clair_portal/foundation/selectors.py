"""Reads that every program page shares: published figures with what was
entered since, and the fiscal years a page shows."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet, Window

from .fiscal import fiscal_year_of
from .models import KeyFigure

# A program page shows its most recent fiscal years (and brochure editions);
# the brochure of each earlier year has the rest. The brochures' records span
# three fiscal years (2018, 2019, 2022) and two editions: all on the page.
RECENT_YEARS = 3
RECENT_EDITIONS = 3
# A section of a program page lists at most this many of its recent records,
# the newest fiscal year first; the brochure of each year lists them all. No
# section of the brochures comes near it (the largest holds 9 records).
SECTION_LIMIT = 30


@dataclass(frozen=True)
class HeadlineFigure:
    label: str
    value: int
    as_of: date | None  # None: counted from the records up to today


def latest_key_figures() -> dict[str, KeyFigure]:
    """The newest published figure of each metric, in one query."""
    figures = KeyFigure.objects.order_by("metric", "-as_of").distinct("metric")
    return {figure.metric: figure for figure in figures}


def published_plus_records(figure: KeyFigure, records: QuerySet) -> HeadlineFigure:
    """A published cumulative figure plus the records (anything with a
    fiscal_year) of the fiscal years after its as-of date, in one query."""
    added = records.filter(fiscal_year__gt=fiscal_year_of(figure.as_of)).aggregate(
        n=Count("*")
    )["n"]
    return HeadlineFigure(
        figure.get_metric_display(),
        figure.value + added,
        None if added else figure.as_of,
    )


def cumulative_figure(metric: str, records: QuerySet) -> HeadlineFigure | None:
    """One metric's newest published value plus the records entered since."""
    figure = KeyFigure.objects.filter(metric=metric).order_by("-as_of").first()
    return published_plus_records(figure, records) if figure else None


@dataclass(frozen=True)
class FiscalYears:
    """The fiscal years of a program page, newest first: the `recent` ones it
    shows, and the `earlier` ones it links to their printable brochure."""

    recent: list[int]
    earlier: list[int]


def fiscal_years(*querysets: QuerySet, recent: int = RECENT_YEARS) -> FiscalYears:
    """The fiscal years that have records in `querysets` (each with a
    `fiscal_year`), in one query."""
    # Each table's years made distinct before the union: read in order from
    # an index of fiscal_year, a table of thousands of records gives its few
    # years without hashing each record's.
    first, *others = [
        queryset.order_by().values_list("fiscal_year", flat=True).distinct()
        for queryset in querysets
    ]
    rows = first.union(*others) if others else first
    years = sorted(set(rows), reverse=True)
    return FiscalYears(recent=years[:recent], earlier=years[recent:])


class Listed(list):
    """The records a section lists, and how many it has (`total`)."""

    def __init__(self, records, total: int):
        super().__init__(records)
        self.total = total

    @property
    def left_out(self) -> int:
        return self.total - len(self)


def section_records(queryset: QuerySet, limit: int | None = None) -> Listed:
    """The records a section lists: the first `limit` (SECTION_LIMIT) of an
    ordered queryset, and how many it holds, in one query (the count is a
    window over the same rows)."""
    limit = limit or SECTION_LIMIT
    records = list(queryset.annotate(section_total=Window(Count("*")))[:limit])
    return Listed(records, records[0].section_total if records else 0)
