import datetime

import pytest
from django.db.models import DateField, Value

from clair_portal.foundation.fiscal import (
    FiscalYear,
    fiscal_year_bounds,
    fiscal_year_of,
)
from clair_portal.foundation.models import JapaneseLocalGovernment


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (datetime.date(2019, 1, 12), 2018),
        (datetime.date(2019, 3, 31), 2018),
        (datetime.date(2019, 4, 1), 2019),
        (datetime.date(2019, 12, 31), 2019),
    ],
)
def test_fiscal_year_of(day, fiscal_year):
    assert fiscal_year_of(day) == fiscal_year


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2018) == (
        datetime.date(2018, 4, 1),
        datetime.date(2019, 3, 31),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day", ["2019-01-12", "2019-03-31", "2019-04-01", "2020-02-29"]
)
def test_database_agrees_with_python(day):
    parsed = datetime.date.fromisoformat(day)
    in_database = (
        JapaneseLocalGovernment.objects.annotate(
            fy=FiscalYear(Value(parsed, output_field=DateField()))
        )
        .values_list("fy", flat=True)
        .first()
    )
    assert in_database == fiscal_year_of(parsed)
