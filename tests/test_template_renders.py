"""What a page's table repeats in every row is rendered by a tag, not by an
included template: an include is a template render per cell, and the exchange
page at scale 100 rendered more than a thousand of them per request."""

import datetime

import pytest
from django.utils import translation
from django.utils.html import strip_tags

from clair_portal.foundation.models import JapaneseLocalGovernment
from clair_portal.foundation.templatetags.portal import (
    chinese_place,
    japanese_place,
)
from clair_portal.foundation.typography import date_range
from tests.factories import (
    ChineseCityFactory,
    CookingEventFactory,
    CookingMenuItemFactory,
    ExpertDispatchFactory,
    JapaneseCityFactory,
    LgotpPlacementFactory,
    SupportExampleFactory,
)

pytestmark = pytest.mark.django_db


def templates_rendered(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return len(response.templates)


def add_exchange_rows(count):
    for _ in range(count):
        event = CookingEventFactory()
        event.partners.add(JapaneseCityFactory(), JapaneseCityFactory())
        CookingMenuItemFactory(event=event)
        LgotpPlacementFactory(host=JapaneseCityFactory())


def add_expert_rows(count):
    ExpertDispatchFactory.create_batch(count)


def add_support_rows(count):
    for _ in range(count):
        SupportExampleFactory().governments.add(JapaneseCityFactory())


@pytest.mark.parametrize(
    ("url", "add_rows"),
    [
        ("/ja/exchange/", add_exchange_rows),
        ("/ja/experts/", add_expert_rows),
        ("/ja/support/", add_support_rows),
    ],
)
def test_templates_rendered_do_not_grow_with_rows(client, url, add_rows):
    add_rows(1)
    with_one = templates_rendered(client, url)
    add_rows(5)
    assert templates_rendered(client, url) == with_one


def test_japanese_place_names_its_prefecture_unless_a_designated_city():
    city = JapaneseCityFactory(name_ja="高山市", prefecture__name_ja="岐阜県")
    designated = JapaneseCityFactory(
        name_ja="横浜市",
        prefecture__name_ja="神奈川県",
        kind=JapaneseLocalGovernment.Kind.DESIGNATED_CITY,
    )
    with translation.override("ja"):
        assert japanese_place(city) == "岐阜県高山市"
        assert japanese_place(designated) == "横浜市"


def test_place_names_fall_back_to_the_other_language_marked_with_it():
    city = ChineseCityFactory(
        name_ja="綿陽市", name_zh_hans="", province__name_ja="四川省"
    )
    with translation.override("zh-hans"):
        html = chinese_place(city)
    assert html == f'{city.province.name_zh_hans}<span lang="ja">綿陽市</span>'


def test_place_names_are_escaped_once():
    city = ChineseCityFactory(name_ja="A&B市", province__name_ja="<省>")
    with translation.override("ja"):
        assert chinese_place(city) == "&lt;省&gt;A&amp;B市"


def test_date_range_leaves_out_an_end_on_the_start_day():
    day = datetime.date(2040, 9, 1)
    with translation.override("ja"):
        assert strip_tags(date_range(day, day)) == "2040年9月1日"
        assert strip_tags(date_range(day)) == "2040年9月1日"
        assert strip_tags(date_range(day, day + datetime.timedelta(days=1))) == (
            "2040年9月1日～2040年9月2日"
        )
        assert date_range(day) == (
            '<time datetime="2040-09-01" class="nowrap">2040年9月1日</time>'
        )
        assert date_range(None, day) == ""
    with translation.override("zh-hans"):
        assert strip_tags(date_range(day, day + datetime.timedelta(days=1))) == (
            "2040年9月1日至2040年9月2日"
        )
