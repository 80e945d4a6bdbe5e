"""Queries compiled once and run with each request's values."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from clair_portal.foundation.compiled_sql import compile_query, fetch
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
