"""Japanese fiscal years: FY N runs from 1 April N to 31 March N+1."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The years a record of the portal can fall in. Japan and China restored
#: relations in 1972; nothing is planned past 2100. Without a bound, a date
#: of year 1 or 9999 was saved and then broke what reads it (the fiscal-year
#: constraints, the events feed, the admin's date drill-down).
EARLIEST_YEAR = 1970
LATEST_YEAR = 2100


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


def validate_date_in_span(value):
    """A date (or a moment) between EARLIEST_YEAR and LATEST_YEAR."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a date from %(earliest)s to %(latest)s."),
            code="date_out_of_span",
            params={"earliest": str(EARLIEST_YEAR), "latest": str(LATEST_YEAR)},
        )


def validate_year_in_span(value):
    """A (fiscal) year between EARLIEST_YEAR and LATEST_YEAR."""
    if not EARLIEST_YEAR <= value <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a year from %(earliest)s to %(latest)s."),
            code="year_out_of_span",
            params={"earliest": str(EARLIEST_YEAR), "latest": str(LATEST_YEAR)},
        )
