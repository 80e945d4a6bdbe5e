"""The exchange page, its CSV downloads and the iCalendar feed of upcoming events."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from clair_portal.foundation.fiscal import fiscal_year_of
from clair_portal.foundation.selectors import RECENT_EDITIONS
from exchange.models import (
    ChinaOfficeCount,
    CookingEvent,
    ExecutiveSeminar,
    LivestreamPromotion,
    MediaCollaboration,
)
from tests.factories import (
    BrochureEditionFactory,
    ChineseCityFactory,
    CookingEventFactory,
    CookingMenuItemFactory,
    JapaneseCityFactory,
    JapanesePrefectureFactory,
    KeyFigureFactory,
    LgotpPlacementFactory,
    PhotoFactory,
    SeminarFactory,
    TravelExpoFactory,
)

pytestmark = pytest.mark.django_db

PAGE = {"ja": "/ja/exchange/", "zh-hans": "/zh-hans/exchange/"}


def get_page(client, language):
    response = client.get(PAGE[language])
    assert response.status_code == 200
    return response, response.content.decode()


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_page_shows_the_brochures_figures(client, language):
    response, html = get_page(client, language)

    assert f'<html lang="{language}">' in html
    assert html.count("<h1>") == 1
    for value in ("368", "379", "45", "42"):
        assert f'<td class="number">{value}</td>' in html
    assert '<span class="key-figure__value">379</span>' in html
    assert '<span class="key-figure__value">42</span>' in html
    assert '<span class="key-figure__value">514</span>' in html
    assert '<span class="key-figure__value">135</span>' in html
    assert "BITE" in html
    assert f'href="/{language}/exchange/events.ics"' in html
    assert 'rel="alternate" type="text/calendar"' in html


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_page_sections_follow_the_brief(client, language):
    _response, html = get_page(client, language)
    anchors = [
        'id="sister-cities"',
        'id="lgotp"',
        'id="executive-seminar"',
        'id="travel-expos"',
        'id="cooking"',
        'id="livestreams"',
        'id="media"',
    ]
    positions = [html.index(anchor) for anchor in anchors]
    assert positions == sorted(positions)


def test_lgotp_placements_of_fy2019(client):
    response, ja = get_page(client, "ja")
    _response, zh = get_page(client, "zh-hans")

    fy2019 = [
        year for year in response.context["lgotp_years"] if year.fiscal_year == 2019
    ]
    assert len(fy2019) == 1
    assert len(fy2019[0].records) == 7
    assert "湖南省常徳市" in ja
    assert "湖南省常德市" in zh
    assert "岐阜県高山市" in ja
    assert "岐阜县高山市" in zh


def test_cooking_menus_in_the_page_language(client):
    _response, ja = get_page(client, "ja")
    _response, zh = get_page(client, "zh-hans")

    assert "<li>タコライス</li>" in ja
    assert "<li>塔可饭</li>" in zh
    assert "長崎県、沖縄県" in ja
    assert "长崎县、冲绳县" in zh


def test_six_livestreams_of_fy2022(client):
    response, zh = get_page(client, "zh-hans")

    fy2022 = [
        livestream
        for livestream in response.context["livestreams"]
        if livestream.fiscal_year == 2022
    ]
    assert len(fy2022) == 6
    assert zh.count("<td>快手</td>") == 6


def test_chinese_page_has_no_japanese_only_values(client):
    _response, zh = get_page(client, "zh-hans")

    for japanese in (
        "タコライス",
        "常徳",
        "岐阜県",
        "北京国家会議中心",
        "快手（Kuaishou）",
        "長崎県の歴史文化",
        "中国国際放送局",
        "その他",
        "大連",
    ):
        assert japanese not in zh


def read_csv(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("lgotp.csv", 7),
        ("travel-expos.csv", 3),
        ("cooking-events.csv", 9),
        ("livestreams.csv", 6),
    ],
)
def test_csv_downloads(client, name, rows):
    table = read_csv(client, f"/ja/exchange/{name}")
    assert len(table) == 1 + rows
    assert len({len(row) for row in table}) == 1


def test_csv_values_in_the_page_language(client):
    ja = read_csv(client, "/ja/exchange/cooking-events.csv")
    zh = read_csv(client, "/zh-hans/exchange/cooking-events.csv")

    assert any("タコライス" in row[-1] for row in ja)
    assert any("塔可饭" in row[-1] for row in zh)
    assert not any("タコライス" in cell for row in zh for cell in row)
    lgotp = read_csv(client, "/zh-hans/exchange/lgotp.csv")
    assert ["2019", "滋贺县", "湖南省常德市"] == lgotp[4][:3]


def next_month(today):
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def read_feed(client, language):
    response = client.get(f"/{language}/exchange/events.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_feed_lists_upcoming_events_in_the_page_language(client):
    start = next_month(timezone.localdate())
    partner = JapaneseCityFactory(name_ja="みらい市", name_zh_hans="未来市")
    event = CookingEventFactory(
        start_date=start,
        fiscal_year=fiscal_year_of(start),
        city=ChineseCityFactory(name_ja="上海試験市", name_zh_hans="上海试验市"),
    )
    event.partners.add(partner)
    CookingMenuItemFactory(event=event, name_ja="肉じゃが", name_zh_hans="土豆炖肉")
    seminar = SeminarFactory(
        start_date=start + datetime.timedelta(days=3),
        end_date=start + datetime.timedelta(days=4),
        fiscal_year=fiscal_year_of(start),
    )

    zh = read_feed(client, "zh-hans")
    ja = read_feed(client, "ja")

    uid = f"exchange.cookingevent-{event.pk}@clair.org.cn"
    cooking = zh[uid]
    assert partner.prefecture.name_zh_hans + "未来市" in str(cooking["SUMMARY"])
    assert "みらい市" not in str(cooking["SUMMARY"])
    assert "上海试验市" in str(cooking["LOCATION"])
    assert cooking.decoded("DTSTART") == start
    assert cooking.decoded("DTEND") == start + datetime.timedelta(days=1)
    assert partner.prefecture.name_ja + "みらい市" in str(ja[uid]["SUMMARY"])
    assert "未来市" not in str(ja[uid]["SUMMARY"])

    upcoming = zh[f"seminars.seminar-{seminar.pk}@clair.org.cn"]
    assert upcoming.decoded("DTEND") == start + datetime.timedelta(days=5)
    assert str(upcoming["URL"]).endswith(f"/zh-hans/seminars/{seminar.edition}/")


def test_feed_leaves_out_past_events(client):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    past = CookingEventFactory(
        start_date=yesterday, fiscal_year=fiscal_year_of(yesterday)
    )

    events = read_feed(client, "ja")

    assert f"exchange.cookingevent-{past.pk}@clair.org.cn" not in events
    assert all(event.decoded("DTSTART") >= today for event in events.values())
    for record in CookingEvent.objects.filter(start_date__lt=today):
        assert f"exchange.cookingevent-{record.pk}@clair.org.cn" not in events


MAX_QUERIES = 10  # every public page's budget, as tests/test_query_counts.py checks


def add_records(count):
    """More of every kind of record the page shows, each with its related rows
    (places, menu items, photos), and a brochure edition with its figures.
    Returns texts that the Japanese page must then show, and those it must
    not: the figures of editions older than the newest it shows."""
    shown, hidden = [], []
    for n in range(count):
        day = datetime.date(2040, 5, 1) + datetime.timedelta(days=n)
        fiscal_year = fiscal_year_of(day)
        places = [JapaneseCityFactory() for _ in range(4)]
        edition = BrochureEditionFactory()
        KeyFigureFactory(edition=edition, as_of=day)
        ChinaOfficeCount.objects.create(
            edition=edition,
            location_ja=f"試験地{n}",
            location_zh_hans=f"试验地{n}",
            count=3,
        )
        event = CookingEventFactory(start_date=day, fiscal_year=fiscal_year)
        event.partners.add(*places[:2])
        menu = [
            CookingMenuItemFactory(event=event, name_ja=f"料理{n}-{i}") for i in (1, 2)
        ]
        seminar = ExecutiveSeminar.objects.create(
            start_date=day,
            fiscal_year=fiscal_year,
            theme_ja=f"試験テーマ{n}",
            theme_zh_hans=f"试验主题{n}",
        )
        seminar.visited.add(places[2])
        livestream = LivestreamPromotion.objects.create(
            start_date=day,
            fiscal_year=fiscal_year,
            platform_ja="快手（Kuaishou）",
            platform_zh_hans="快手",
        )
        livestream.governments.add(places[3])
        media = MediaCollaboration.objects.create(
            fiscal_year=fiscal_year,
            kind=MediaCollaboration.Kind.MEDIA,
            title_ja=f"試験記事{n}",
            title_zh_hans=f"试验报道{n}",
            position=n,
        )
        subjects = [
            event,
            seminar,
            livestream,
            media,
            LgotpPlacementFactory(host=JapaneseCityFactory()),
            TravelExpoFactory(start_date=day, fiscal_year=fiscal_year),
        ]
        photos = [PhotoFactory(subject=subject, uploaded=True) for subject in subjects]
        newest = n >= count - RECENT_EDITIONS
        (shown if newest else hidden).append(f"試験地{n}")
        shown += [
            seminar.theme_ja,
            media.title_ja,
            *(place.prefecture.name_ja + place.name_ja for place in places),
            *(f"<li>{item.name_ja}</li>" for item in menu),
            *(f"<figcaption>{photo.caption_ja}</figcaption>" for photo in photos),
        ]
    return shown, hidden


def count_queries(client, language):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE[language])
    assert response.status_code == 200
    return queries, response.content.decode()


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_query_count_does_not_grow_with_the_records(client, language, media_root):
    count_queries(client, language)  # warms the content-type cache of the photos
    before, _html = count_queries(client, language)
    shown, hidden = add_records(10)
    after, html = count_queries(client, language)

    assert len(after) == len(before) <= MAX_QUERIES
    intro_queries = [
        query for query in after if "clair_portal_programintro" in query["sql"]
    ]
    assert len(intro_queries) == 1
    if language == "ja":  # the added records are on the page, with what they show
        assert [text for text in shown if text not in html] == []
        assert [text for text in hidden if text in html] == []


def test_gathered_names_fall_back_to_the_other_language(client, media_root):
    """Places, dishes and captions gathered in their record's query take the
    page's language, else the other one marked with its lang."""
    day = datetime.date(2040, 5, 1)
    event = CookingEventFactory(start_date=day, fiscal_year=fiscal_year_of(day))
    prefecture = JapanesePrefectureFactory(name_ja="みらい県", name_zh_hans="未来县")
    event.partners.add(
        JapaneseCityFactory(prefecture=prefecture, name_ja="あすか市", name_zh_hans="")
    )
    CookingMenuItemFactory(event=event, name_ja="", name_zh_hans="土豆炖肉")
    PhotoFactory(
        subject=event, caption_ja="料理教室", caption_zh_hans="", uploaded=True
    )

    _response, ja = get_page(client, "ja")
    _response, zh = get_page(client, "zh-hans")

    assert "<td>みらい県あすか市</td>" in ja
    assert '<td>未来县<span lang="ja">あすか市</span></td>' in zh
    assert '<li><span lang="zh-hans">土豆炖肉</span></li>' in ja
    assert "<li>土豆炖肉</li>" in zh
    assert "<figcaption>料理教室</figcaption>" in ja
    assert '<figcaption><span lang="ja">料理教室</span></figcaption>' in zh
    table = read_csv(client, "/zh-hans/exchange/cooking-events.csv")
    assert ["未来县あすか市", "土豆炖肉"] in [row[-2:] for row in table]


def test_offices_per_location_add_up_to_each_editions_figure(client):
    response, _html = get_page(client, "ja")

    table = response.context["office_table"]
    totals = {
        edition.year: total
        for edition, total in zip(table.editions, table.totals, strict=True)
    }
    published = {
        row.edition.year: row.offices_in_china.value
        for row in response.context["edition_figures"]
    }
    assert totals == published == {2019: 45, 2023: 42}
