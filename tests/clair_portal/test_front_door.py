"""The front page as the office's front door, and the office page's staff."""

import datetime

import pytest
from django.utils import timezone

from clair_portal.features.home import program_records
from clair_portal.foundation.fiscal import fiscal_year_of
from clair_portal.foundation.models import StaffMember
from tests.factories import TravelExpoFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "asks"),
    [
        ("ja", ["活動支援・海外事情調査を申請する", "専門家派遣の申請"]),
        ("zh-hans", ["申请协助开展交流活动·海外情况调查", "申请派遣专家"]),
    ],
)
def test_the_home_page_shows_the_ways_to_ask(client, language, asks):
    html = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/support/request/"' in html
    assert f'href="/{language}/experts/request/"' in html
    for text in asks:
        assert text in html, text


def test_the_newest_records_across_programs(client):
    html = client.get("/ja/").content.decode()
    newest = html.split('id="newest-title"')[1].split("</section>")[0]
    assert newest.count("<li>") == 5
    # The brochures' newest: cooking events and livestreams of early 2023.
    assert "2023年2月11日" in newest
    assert 'href="/ja/exchange/#cooking"' in newest


def test_the_next_events_come_soonest_first(client):
    today = timezone.localdate()
    later = today + datetime.timedelta(days=40)
    sooner = today + datetime.timedelta(days=10)
    for day in (later, sooner):
        TravelExpoFactory(start_date=day, end_date=day, fiscal_year=fiscal_year_of(day))
    records = program_records(today=today, upcoming=True, limit=3)
    assert [record.start for record in records] == [sooner, later]
    html = client.get("/zh-hans/").content.decode()
    upcoming = html.split('id="upcoming-title"')[1].split("</section>")[0]
    assert upcoming.count("<li>") == 2
    assert 'href="/zh-hans/exchange/#travel-expos"' in upcoming


def test_without_upcoming_events_the_home_page_says_so(client):
    html = client.get("/ja/").content.decode()
    assert "現在、予定されている行事はありません。" in html


def test_the_latest_seminar_is_a_phrase_of_the_language(client):
    assert "福州市、2019年8月21日" in client.get("/ja/").content.decode()
    assert "福州市，2019年8月21日" in client.get("/zh-hans/").content.decode()


def test_the_office_page_shows_this_editions_staff_and_archives_the_earlier(client):
    html = client.get("/ja/office/").content.decode()
    current, archive = html.split("これまでの職員")
    editions = list(
        StaffMember.objects.order_by("-edition__year")
        .values_list("edition__year", flat=True)
        .distinct()
    )
    assert len(editions) >= 2
    newest = StaffMember.objects.filter(edition__year=editions[0])
    earlier = StaffMember.objects.filter(edition__year__in=editions[1:])
    for member in newest:
        assert member.name_ja in current
    for member in earlier:
        assert member.name_ja in archive.split('<h2 id="contact">')[0]
    assert '<details class="archive">' in archive
