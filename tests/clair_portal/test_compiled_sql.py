"""Queries compiled once and run with each request's values."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from clair_portal.foundation.compiled_sql import (
    compile_query,
    fetch,
    fetch_by_attname,
    fetch_instances,
)
from seminars.models import Seminar

pytestmark = pytest.mark.django_db

# In the column's range (a positive small integer): Django turns an impossible
# value into an empty query, with no parameter.
ANY_EDITION = 32_001


def test_a_placeholder_is_replaced_by_each_runs_value():
    compiled = compile_query(
        Seminar.objects.filter(edition=ANY_EDITION).values_list("fiscal_year"),
        ANY_EDITION,
    )
    assert fetch(compiled, {ANY_EDITION: 17}) == [(2018,)]
    assert fetch(compiled, {ANY_EDITION: 9999}) == []


def test_a_placeholder_the_query_does_not_hold_is_refused():
    with pytest.raises(ImproperlyConfigured):
        compile_query(Seminar.objects.filter(edition=17), ANY_EDITION)


def test_rows_come_as_instances_and_by_field():
    compiled = compile_query(Seminar.objects.filter(edition=ANY_EDITION), ANY_EDITION)
    (seminar,) = fetch_instances(compiled, Seminar, {ANY_EDITION: 17})
    assert seminar == Seminar.objects.get(edition=17)
    assert seminar.theme_ja == Seminar.objects.get(edition=17).theme_ja
    assert seminar._state.adding is False
    (row,) = fetch_by_attname(compiled, Seminar, {ANY_EDITION: 17})
    assert row["edition"] == 17
    assert row["host_city_id"] == seminar.host_city_id


@pytest.mark.parametrize(
    "queryset",
    [
        Seminar.objects.only("edition"),
        Seminar.objects.defer("theme_ja"),
        Seminar.objects.select_related("host_city"),
        Seminar.objects.values("edition"),
    ],
    ids=["only", "defer", "select_related", "values"],
)
def test_rows_of_other_columns_are_refused(queryset):
    """The values would land in the wrong fields: refused, not guessed."""
    compiled = compile_query(queryset)
    with pytest.raises(ImproperlyConfigured):
        fetch_instances(compiled, Seminar)
    with pytest.raises(ImproperlyConfigured):
        fetch_by_attname(compiled, Seminar)
