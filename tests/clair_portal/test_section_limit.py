"""A program page's section lists at most SECTION_LIMIT records (the newest
fiscal year first), says how many it leaves out, and links the printable
brochures of its years, which list them all."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clair_portal.foundation import selectors
from exchange.models import TravelExpo
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = factories.FISCAL_YEAR
NOTES = {
    "ja": re.compile(r"ここには(\d+)件のうち2件を掲載しています。"),
    "zh-hans": re.compile(r"此处列出(\d+)条记录中的2条。"),
}


@pytest.fixture
def limit_of_two(monkeypatch):
    monkeypatch.setattr(selectors, "SECTION_LIMIT", 2)


def test_a_section_reads_its_first_records_and_their_number_in_one_query(
    limit_of_two,
):
    expos = factories.TravelExpoFactory.create_batch(3)
    mine = TravelExpo.objects.filter(fiscal_year=YEAR).order_by("-id")
    with CaptureQueriesContext(connection) as queries:
        listed = selectors.section_records(mine)
    assert len(queries) == 1
    assert [expo.pk for expo in listed] == [expos[2].pk, expos[1].pk]
    assert (listed.total, listed.left_out) == (3, 1)


def test_an_empty_section_leaves_nothing_out():
    listed = selectors.section_records(TravelExpo.objects.filter(fiscal_year=YEAR))
    assert (list(listed), listed.total, listed.left_out) == ([], 0, 0)


def add_expos():
    for day in (1, 2, 3):
        factories.TravelExpoFactory(start_date=datetime.date(YEAR, 6, day))


def add_dispatches():
    for day in (1, 2, 3):
        factories.ExpertDispatchFactory(start_date=datetime.date(YEAR, 11, day))


def add_gatherings():
    factories.ReturneeGatheringFactory.create_batch(3)


def add_examples():
    factories.SupportExampleFactory.create_batch(3)


SECTIONS = [
    ("exchange", add_expos),
    ("experts", add_dispatches),
    ("jet", add_gatherings),
    ("support", add_examples),
]


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
@pytest.mark.parametrize(("page", "add_records"), SECTIONS)
def test_a_cut_section_says_so_and_links_the_brochures(
    client, limit_of_two, language, page, add_records
):
    add_records()
    html = client.get(f"/{language}/{page}/").content.decode()
    note = NOTES[language].search(html)
    assert note and int(note[1]) >= 3
    assert f'href="/{language}/brochure/{YEAR}/">{YEAR}年度</a>' in html


@pytest.mark.parametrize(("page", "add_records"), SECTIONS)
def test_a_whole_section_has_no_note(client, page, add_records):
    add_records()
    html = client.get(f"/ja/{page}/").content.decode()
    assert "more-records" not in html


def test_the_exchange_page_lists_the_first_expos_of_the_newest_year(
    client, limit_of_two
):
    factories.TravelExpoFactory(
        fiscal_year=YEAR - 1, start_date=datetime.date(YEAR - 1, 6, 1)
    )
    add_expos()
    html = client.get("/ja/exchange/").content.decode()
    section = html[html.index('id="travel-expos-caption"') :]
    section = section[: section.index("</table>")]
    assert section.count("<tr>") == 3  # the heading and two expos
    assert f'datetime="{YEAR}-06-01"' in section
    assert f'datetime="{YEAR}-06-02"' in section
    assert f'datetime="{YEAR}-06-03"' not in section


def test_a_cut_year_of_dispatches_is_counted_whole(client, limit_of_two):
    """The caption counts the year's dispatches, not those listed."""
    add_dispatches()
    html = client.get("/ja/experts/").content.decode()
    table = html[html.index(f'id="dispatches-{YEAR}"') :]
    caption, table = (
        table[: table.index("</caption>")],
        table[: table.index("</table>")],
    )
    assert caption.endswith("：3人")
    assert table.count("<tr>") == 3  # the heading and two dispatches
