"""The printed brochure reads its sections together (fetch_together): the rows
must be those each section's own query gives, as the export streams them."""

import datetime

import pytest
from django.db import connection
from django.db.models import QuerySet, Value
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from clair_portal.features.brochure.sections import (
    COUNTED,
    SECTIONS,
    SECTIONS_BY_NAME,
    BrochureYear,
    support_requests_query,
)
from clair_portal.features.brochure.selectors import (
    cell_rows,
    fetch_together,
    year_with_lookups,
)
from clair_portal.foundation.models import (
    BrochureEdition,
    Greeting,
    KeyFigure,
    StaffMember,
)
from exchange.models import ChinaOfficeCount
from jet.models import JetFigure, JetPlacement, ReturneeGathering
from support_requests.models import RequestKind
from tests import factories

pytestmark = pytest.mark.django_db

YEARS = [2010, 2018, 2022]  # a seminar only; the 2019 edition's; the 2023's
LANGUAGES = ["ja", "zh-hans"]


def section_queries(year):
    """The sections read by a query (the summary is computed: it counts)."""
    return {
        section.name: records
        for section in SECTIONS
        if section.name != "summary"
        and not section.declared
        and isinstance(records := section.records(year), QuerySet)
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("fiscal_year", YEARS)
def test_the_rows_are_those_of_each_sections_query(fiscal_year, language):
    with translation.override(language):
        year = BrochureYear(fiscal_year)
        queries = section_queries(year)
        declared = [section for section in SECTIONS if section.declared]
        fetched = fetch_together(
            queries,
            {section.name: cell_rows(section, fiscal_year) for section in declared},
        )
        for name, query in queries.items():
            section = SECTIONS_BY_NAME[name]
            expected = [section.row(year, record) for record in query]
            assert [section.row(year, record) for record in fetched[name]] == (
                expected
            ), name


def test_records_come_with_their_fields_annotations_and_related_rows():
    year = BrochureYear(2018)
    query = SECTIONS_BY_NAME["seminar_of_the_year"].records(year)
    [expected] = query
    [seminar] = fetch_together({"seminar": query})["seminar"]
    for field in type(seminar)._meta.concrete_fields:
        assert getattr(seminar, field.attname) == getattr(expected, field.attname)
    assert seminar.programme_dates == expected.programme_dates
    assert isinstance(seminar.programme_dates[0], datetime.date)
    assert seminar.organiser_names == expected.organiser_names
    assert seminar.host_city.province.name_zh_hans == "四川省"
    assert not seminar._state.adding


def test_a_null_foreign_key_is_an_empty_cell():
    gathering = factories.ReturneeGatheringFactory(
        fiscal_year=2018, start_date=datetime.date(2018, 5, 1), city=None
    )
    section = SECTIONS_BY_NAME["jet_gatherings"]
    rows = fetch_together({}, {section.name: cell_rows(section, 2018)})[section.name]
    [(_pk, _title, _dates, city, _description)] = [
        row for row in rows if row[0] == gathering.pk
    ]
    assert city == ""


def test_values_rows_are_dicts_and_empty_queries_empty_lists():
    factories.SupportRequestFactory.create_batch(2, fiscal_year=2018)
    rows = fetch_together(
        {
            "requests": support_requests_query(2018),
            "none": ReturneeGathering.objects.none(),
        }
    )
    assert rows == {
        "requests": [{"kind": RequestKind.ACTIVITY_SUPPORT, "n": 2}],
        "none": [],
    }
    assert fetch_together({}) == {}


def test_everything_comes_in_one_query():
    year = year_with_lookups(2018)
    with CaptureQueriesContext(connection) as queries:
        fetch_together(section_queries(year))
    assert len(queries) == 1


@pytest.mark.parametrize("fiscal_year", [*YEARS, 2030])
def test_the_year_lookups_read_together_are_those_read_one_by_one(fiscal_year):
    factories.SupportRequestFactory(
        fiscal_year=fiscal_year, kind=RequestKind.OVERSEAS_RESEARCH
    )
    together, alone = year_with_lookups(fiscal_year), BrochureYear(fiscal_year)
    assert together.edition == alone.edition
    assert [f.pk for f in together.jet_figures] == [f.pk for f in alone.jet_figures]
    assert together.support_counts == alone.support_counts
    assert together.japanese_places.keys() == alone.japanese_places.keys()


@pytest.mark.parametrize("fiscal_year", YEARS)
def test_the_counted_sections_list_the_records_counted(fiscal_year):
    """The page counts the rows of COUNTED's sections; the export asks."""
    year = BrochureYear(fiscal_year)
    assert year.record_counts == {
        key: rows_of(SECTIONS_BY_NAME[key], year) for key, _model, _to_date in COUNTED
    }


def rows_of(section, year):
    if section.declared:
        return section.rows(Value(year.fiscal_year)).count()
    return len(list(section.records(year)))


def test_a_brochure_without_any_edition(client):
    """Records and no edition to report them: the page and the export still
    print the year's tables, under the office's own title."""
    for model in [Greeting, StaffMember, KeyFigure, ChinaOfficeCount, JetPlacement]:
        model.objects.all().delete()
    JetFigure.objects.all().delete()
    BrochureEdition.objects.all().delete()
    response = client.get("/ja/brochure/2018/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "綿陽市" in html
    assert 'id="greeting-title"' not in html
