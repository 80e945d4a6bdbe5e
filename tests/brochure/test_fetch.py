"""The printed brochure reads every section's rows together (section_rows):
they must be those each section's own query gives, as the export streams
them."""

import datetime

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from clair_portal.features.brochure.sections import SECTIONS, SECTIONS_BY_NAME
from clair_portal.features.brochure.selectors import section_rows
from clair_portal.foundation.models import (
    BrochureEdition,
    Greeting,
    KeyFigure,
    OfficeContact,
    ProgramIntro,
    StaffMember,
)
from exchange.models import ChinaOfficeCount
from jet.models import JetFigure, JetPlacement
from tests import factories

pytestmark = pytest.mark.django_db

YEARS = [2010, 2018, 2022]  # a seminar only; the 2019 edition's; the 2023's
LANGUAGES = ["ja", "zh-hans"]


def rows_alone(section, fiscal_year):
    """The section's rows, each part's query run on its own, ordered."""
    names = [f"c{i}" for i in range(len(section.columns))]
    rows = [
        (n, list(cells))
        for _part, query in section.cells(Value(fiscal_year))
        for n, *cells in query.values_list("n", *names)
    ]
    return [cells for _n, cells in sorted(rows, key=lambda row: row[0])]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("fiscal_year", YEARS)
def test_the_rows_are_those_of_each_sections_query(fiscal_year, language):
    factories.SupportRequestFactory(fiscal_year=fiscal_year, status="completed")
    with translation.override(language):
        together = section_rows(fiscal_year)
        for section in SECTIONS:
            alone = rows_alone(section, fiscal_year)
            assert [row.cells for row in together[section.name]] == alone, section.name
    assert together["support_figures"]
    assert together["summary"]


def test_every_section_comes_in_one_query():
    with CaptureQueriesContext(connection) as queries:
        rows = section_rows(2018)
    assert len(queries) == 1
    assert rows.keys() == SECTIONS_BY_NAME.keys()


def test_a_null_foreign_key_is_an_empty_cell():
    gathering = factories.ReturneeGatheringFactory(
        fiscal_year=2018, start_date=datetime.date(2018, 5, 1), city=None
    )
    [row] = [
        row
        for row in section_rows(2018)["jet_gatherings"]
        if row.record == gathering.pk
    ]
    _title, _dates, city, _description = row.cells
    assert city == ""


def test_a_brochure_without_any_edition(client):
    """Records and no edition to report them: the page and the export still
    print the year's tables, under the office's own title."""
    for model in [
        Greeting,
        StaffMember,
        KeyFigure,
        ChinaOfficeCount,
        JetPlacement,
        ProgramIntro,
        OfficeContact,
    ]:
        model.objects.all().delete()
    JetFigure.objects.all().delete()
    BrochureEdition.objects.all().delete()
    response = client.get("/ja/brochure/2018/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "綿陽市" in html
    assert 'id="greeting-title"' not in html
