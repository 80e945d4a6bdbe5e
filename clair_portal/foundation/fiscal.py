"""Japanese fiscal years: FY N runs from 1 April N to 31 March N+1."""

import datetime

from django.db import models


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year a date belongs to (2019-01-12 -> 2018)."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a fiscal year."""
    return datetime.date(fiscal_year, 4, 1), datetime.date(fiscal_year + 1, 3, 31)


class FiscalYear(models.Func):
    """The database's side of fiscal_year_of(), for constraints and queries."""

    template = (
        "CAST(EXTRACT(YEAR FROM %(expressions)s - INTERVAL '3 months') AS integer)"
    )
    output_field = models.IntegerField()
