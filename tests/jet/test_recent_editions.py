"""The JET page shows the figures of the newest brochure editions and the
returnee gatherings of the most recent fiscal years, and links each earlier
fiscal year to its printable brochure."""

import pytest

from clair_portal.features.load_data import generate_load_data
from clair_portal.foundation.models import BrochureEdition
from clair_portal.foundation.selectors import RECENT_EDITIONS, RECENT_YEARS
from jet.models import JetFigure, ReturneeGathering
from tests.earlier_years import assert_links_earlier_years

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_every_edition_and_gathering_of_the_brochures_is_on_the_page(client, language):
    response = client.get(f"/{language}/jet/")
    editions = [group.edition.year for group in response.context["figures"].editions]
    assert editions == [2023, 2019]
    assert len(response.context["gatherings"]) == ReturneeGathering.objects.count()
    assert response.context["earlier_years"] == []
    assert 'class="earlier-years"' not in response.content.decode()


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_older_editions_and_years_link_to_their_brochure(client, language):
    generate_load_data(scale=5)
    newest = list(
        BrochureEdition.objects.filter(jetfigure__isnull=False)
        .distinct()
        .order_by("-year")
        .values_list("year", flat=True)[:RECENT_EDITIONS]
    )
    gathering_years = sorted(
        set(ReturneeGathering.objects.values_list("fiscal_year", flat=True)),
        reverse=True,
    )
    older_figure_years = set(
        JetFigure.objects.exclude(edition__year__in=newest).values_list(
            "fiscal_year", flat=True
        )
    )
    earlier = sorted(
        older_figure_years | set(gathering_years[RECENT_YEARS:]), reverse=True
    )

    response = client.get(f"/{language}/jet/")
    context = response.context
    figures = context["figures"]
    assert [group.edition.year for group in figures.editions] == newest
    assert {table.edition.year for table in figures.chronological} == set(newest)
    shown = {gathering.fiscal_year for gathering in context["gatherings"]}
    assert shown == set(gathering_years[:RECENT_YEARS])
    assert context["earlier_years"] == earlier

    html = response.content.decode()
    assert_links_earlier_years(html, language, earlier)
    assert html.count("<article>") == len(context["gatherings"])
