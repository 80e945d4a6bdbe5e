"""Small things a visitor meets: the icon, the 404 page's language link, the
language switch keeping the filters."""

import re

import pytest

pytestmark = pytest.mark.django_db


def switch_link(html, language):
    match = re.search(
        rf'<a href="([^"]*)" hreflang="{language}" lang="{language}">', html
    )
    assert match, f"no link to {language}"
    return match.group(1).replace("&amp;", "&")


def test_favicon_and_touch_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get("/ja/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon[^"]*\.ico"', html)
    assert re.search(r'<link rel="apple-touch-icon" href="/static/icons/', html)


@pytest.mark.parametrize(
    ("path", "other", "home"),
    [
        ("/ja/no-such-page/", "zh-hans", "/zh-hans/"),
        ("/zh-hans/seminars/999/", "ja", "/ja/"),
    ],
)
def test_the_404_page_links_to_the_other_languages_home(client, path, other, home):
    response = client.get(path)
    assert response.status_code == 404
    assert switch_link(response.content.decode(), other) == home


def test_the_language_switch_keeps_the_query(client):
    html = client.get("/ja/seminars/?province=&fiscal_year=2019").content.decode()
    link = switch_link(html, "zh-hans")
    assert link.startswith("/zh-hans/seminars/?")
    assert "fiscal_year=2019" in link


def test_the_language_switch_keeps_the_page(client):
    html = client.get("/zh-hans/seminars/17/").content.decode()
    assert switch_link(html, "ja") == "/ja/seminars/17/"
