"""Home, office, sitemap, health and error pages, in both languages."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db

LANGUAGES = ["ja", "zh-hans"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_home(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    # On the public address (SITE_URL), not the request's Host.
    assert f'hreflang="ja" href="{settings.SITE_URL}/ja/"' in html
    assert f'hreflang="zh-hans" href="{settings.SITE_URL}/zh-hans/"' in html
    assert f'hreflang="x-default" href="{settings.SITE_URL}/"' in html
    assert 'property="og:title"' in html
    for figure in ("379", "42", "1,428", "514", "101"):
        assert f'<span class="key-figure__value">{figure}</span>' in html
    assert "/seminars/18/" in html


def test_home_in_chinese_names_chinese_places(client):
    html = client.get("/zh-hans/").content.decode()
    assert "福州市" in html
    assert 'lang="ja">自治体国際化協会（クレア）北京事務所' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_office(client, language):
    html = client.get(f"/{language}/office/").content.decode()
    expected = {
        "ja": ["近松 茂弘", "北村 朋生", "長富宮"],
        "zh-hans": ["近松 茂弘", "长富宫"],
    }
    for text in expected[language]:
        assert text in html


def test_root_redirects_by_accept_language(client):
    response = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"
    assert client.get("/", headers={"accept-language": "ja"})["Location"] == "/ja/"


def test_language_switch_keeps_the_page(client):
    html = client.get("/ja/seminars/17/").content.decode()
    assert 'href="/zh-hans/seminars/17/" hreflang="zh-hans"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_in_the_visitors_language(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        message = gettext("Page not found")
    assert message != "Page not found"
    assert f"<h1>{message}</h1>" in html


def test_sitemap_lists_both_languages_with_alternates(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert f"{settings.SITE_URL}/ja/seminars/17/" in locations
    assert f"{settings.SITE_URL}/zh-hans/seminars/17/" in locations
    first = root.find("s:url", ns)
    hreflangs = {link.get("hreflang") for link in first.findall("x:link", ns)}
    assert hreflangs == {"ja", "zh-hans", "x-default"}


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
