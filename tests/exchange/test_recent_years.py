"""The exchange page lists its most recent fiscal years and links each earlier
one to its printable brochure, however many years of records there are."""

import pytest

from clair_portal.features.load_data import generate_load_data
from clair_portal.foundation.selectors import (
    RECENT_EDITIONS,
    RECENT_YEARS,
    fiscal_years,
)
from exchange.models import ExecutiveSeminar, LgotpPlacement
from exchange.selectors import EXCHANGE_YEAR_MODELS
from tests.earlier_years import assert_links_earlier_years
from tests.factories import LgotpPlacementFactory

pytestmark = pytest.mark.django_db


def all_years():
    years = set()
    for model in EXCHANGE_YEAR_MODELS:
        years.update(model.objects.values_list("fiscal_year", flat=True))
    return sorted(years, reverse=True)


def years_shown(context):
    groups = [*context["lgotp_years"], *context["media_years"]]
    records = [
        *context["executive_seminars"],
        *context["travel_expos"],
        *context["cooking_events"],
        *context["livestreams"],
    ]
    return {group.fiscal_year for group in groups} | {
        record.fiscal_year for record in records
    }


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_the_brochures_years_are_all_on_the_page(client, language):
    response = client.get(f"/{language}/exchange/")
    assert years_shown(response.context) == {2018, 2019, 2022}
    assert response.context["earlier_years"] == []
    html = response.content.decode()
    assert 'class="earlier-years"' not in html
    assert 'href="#earlier-years"' not in html


def test_fiscal_years_splits_recent_and_earlier_in_one_query(
    django_assert_num_queries,
):
    LgotpPlacementFactory(fiscal_year=2010)
    with django_assert_num_queries(1):
        years = fiscal_years(*(model.objects.all() for model in EXCHANGE_YEAR_MODELS))
    assert years.recent == [2022, 2019, 2018]
    assert years.earlier == [2010]
    with django_assert_num_queries(1):
        assert fiscal_years(LgotpPlacement.objects.all()).recent == [2019, 2010]


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_older_years_link_to_their_brochure(client, language):
    generate_load_data(scale=5)
    years = all_years()
    assert len(years) > RECENT_YEARS

    response = client.get(f"/{language}/exchange/")
    assert response.status_code == 200
    context = response.context
    assert years_shown(context) == set(years[:RECENT_YEARS])
    assert context["earlier_years"] == years[RECENT_YEARS:]
    assert len(context["edition_figures"]) == RECENT_EDITIONS
    assert len(context["office_table"].editions) == RECENT_EDITIONS
    # The headline figures are still the newest edition's.
    assert context["latest_figures"]["sister_cities"].value == 379

    html = response.content.decode()
    assert_links_earlier_years(html, language, years[RECENT_YEARS:])
    assert 'href="#earlier-years"' in html
    oldest = years[-1]
    assert client.get(f"/{language}/brochure/{oldest}/").status_code == 200


def test_each_section_keeps_to_the_recent_years(client):
    """A section whose records are all older than the page's years shows none."""
    generate_load_data(scale=5)
    recent = all_years()[:RECENT_YEARS]
    ExecutiveSeminar.objects.filter(fiscal_year__in=recent).delete()
    assert ExecutiveSeminar.objects.exists()
    response = client.get("/ja/exchange/")
    assert response.context["executive_seminars"] == []
    expo_years = {expo.fiscal_year for expo in response.context["travel_expos"]}
    assert expo_years and expo_years <= set(recent)
