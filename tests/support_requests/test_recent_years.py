"""The support page shows the figures and examples of its most recent fiscal
years and links each earlier year to its printable brochure."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clair_portal.features.load_data import generate_load_data
from clair_portal.foundation.selectors import RECENT_YEARS
from support_requests.models import SupportExample, SupportYearlyFigure
from support_requests.selectors import counted_requests, support_counts_by_year
from support_requests.selectors import support_years as page_years
from tests.earlier_years import assert_links_earlier_years
from tests.factories import SupportRequestFactory

pytestmark = pytest.mark.django_db


def support_years():
    years = set()
    for queryset in (
        counted_requests(),
        SupportExample.objects.all(),
        SupportYearlyFigure.objects.all(),
    ):
        years.update(queryset.values_list("fiscal_year", flat=True))
    return sorted(years, reverse=True)


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_the_brochures_years_are_all_on_the_page(client, language):
    response = client.get(f"/{language}/support/")
    assert [row.fiscal_year for row in response.context["counts"]] == [2022, 2018]
    examples = [e for year in response.context["example_years"] for e in year.examples]
    assert len(examples) == SupportExample.objects.count() == 6
    assert response.context["earlier_years"] == []
    assert 'class="earlier-years"' not in response.content.decode()


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_older_years_link_to_their_brochure(client, language):
    generate_load_data(scale=5)
    years = support_years()
    recent = years[:RECENT_YEARS]
    assert len(years) > RECENT_YEARS

    response = client.get(f"/{language}/support/")
    context = response.context
    assert [row.fiscal_year for row in context["counts"]] == recent
    example_years = [year.fiscal_year for year in context["example_years"]]
    assert set(example_years) <= set(recent)
    assert context["earlier_years"] == years[RECENT_YEARS:]
    html = response.content.decode()
    assert_links_earlier_years(html, language, years[RECENT_YEARS:])


def test_the_years_and_counts_read_the_index_of_counted_requests():
    """The page's fiscal years and its counts per year are read from the
    partial index of the requests it counts (migration 0008) alone, not from
    every request of the table."""
    SupportRequestFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        years = page_years()
        support_counts_by_year(years.recent)
    years_sql, counts_sql, _figures_sql = (q["sql"] for q in queries)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE support_requests_supportrequest")
        cursor.execute("SET enable_seqscan = off")
        try:
            plans = []
            for sql in (years_sql, counts_sql):
                cursor.execute("EXPLAIN " + sql)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        finally:
            cursor.execute("SET enable_seqscan = on")
    for plan in plans:
        assert "Index Only Scan using supportrequest_counted_years" in plan, plan
