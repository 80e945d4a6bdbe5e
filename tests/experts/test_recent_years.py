"""The experts page lists the dispatches of its most recent fiscal years and
links each earlier year to its printable brochure."""

import pytest

from clair_portal.features.load_data import generate_load_data
from clair_portal.foundation.selectors import RECENT_YEARS
from experts.models import ExpertDispatch
from tests.earlier_years import assert_links_earlier_years

pytestmark = pytest.mark.django_db


def dispatch_years():
    years = ExpertDispatch.objects.values_list("fiscal_year", flat=True)
    return sorted(set(years), reverse=True)


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_every_dispatch_of_the_brochures_is_on_the_page(client, language):
    response = client.get(f"/{language}/experts/")
    shown = [
        dispatch for year in response.context["years"] for dispatch in year.dispatches
    ]
    assert len(shown) == ExpertDispatch.objects.count() == 6
    assert response.context["earlier_years"] == []
    assert 'class="earlier-years"' not in response.content.decode()


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_older_years_link_to_their_brochure(client, language):
    generate_load_data(scale=5)
    years = dispatch_years()
    assert len(years) > RECENT_YEARS

    response = client.get(f"/{language}/experts/")
    assert [year.fiscal_year for year in response.context["years"]] == years[
        :RECENT_YEARS
    ]
    assert response.context["earlier_years"] == years[RECENT_YEARS:]
    html = response.content.decode()
    assert html.count("<caption") == RECENT_YEARS
    assert_links_earlier_years(html, language, years[RECENT_YEARS:])
    # The cumulative count still counts every dispatch after the published one.
    assert response.context["experts_dispatched"].value >= 101
