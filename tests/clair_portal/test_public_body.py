"""The pages a public body publishes: privacy, accessibility, site map, the
ICP filing in the footer; and no page loads anything from another host."""

import json
import re

import pytest
from django.test import override_settings
from django.utils import translation

from clair_portal.features import accessibility
from clair_portal.features.views import SITE_MAP_SEMINARS
from seminars.models import Seminar
from tests.factories import SeminarFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["ja", "zh-hans"]
TITLES = {
    "privacy/": {"ja": "個人情報の取扱い", "zh-hans": "个人信息保护方针"},
    "accessibility/": {"ja": "ウェブアクセシビリティ方針", "zh-hans": "网站无障碍方针"},
    "sitemap/": {"ja": "サイトマップ", "zh-hans": "网站地图"},
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", list(TITLES))
def test_the_pages_of_a_public_body(client, path, language):
    response = client.get(f"/{language}/{path}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{TITLES[path][language]}</h1>" in html
    # Every page's footer links to all three.
    home = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/{path}"' in home


def test_the_privacy_policy_says_what_is_collected_and_that_nothing_is_shared(client):
    html = client.get("/ja/privacy/").content.decode()
    for fact in ("メールアドレス", "IPアドレス", "Cookie", "アクセス解析"):
        assert fact in html, fact


def test_the_accessibility_policy_states_target_scope_and_results(
    client, tmp_path, monkeypatch
):
    results = tmp_path / "results.json"
    results.write_text(
        json.dumps(
            {
                "tested_at": "2026-12-03T10:00:00+00:00",
                "axe_version": "4.10.2",
                "standard": "WCAG 2.0/2.1/2.2 A, AA",
                "tags": ["wcag2a", "wcag2aa", "best-practice"],
                "pages": ["", "seminars/"],
                "languages": ["ja", "zh-hans"],
                "widths": [320, 390, 1280],
                "checks": 12,
                "rules": 97,
                "violations": 0,
            }
        )
    )
    monkeypatch.setattr(accessibility, "RESULTS_PATH", results)
    html = client.get("/ja/accessibility/").content.decode()
    assert "JIS X 8341-3:2016" in html
    assert "AA" in html
    assert "みんなの公共サイト運用ガイドライン" in html  # people still have to test
    assert "2026年12月3日 18:00" in html and "北京時間" in html
    assert "97件のルール（WCAG 2.0/2.1/2.2 A, AA、axeのベストプラクティス）" in html
    assert "best practices" not in html
    assert "2ページ" in html and "計12回の検査" in html
    assert "<dd>0</dd>" in html
    zh = client.get("/zh-hans/accessibility/").content.decode()
    assert "北京时间" in zh and "97条规则" in zh


def test_the_accessibility_policy_before_any_recorded_run(
    client, tmp_path, monkeypatch
):
    monkeypatch.setattr(accessibility, "RESULTS_PATH", tmp_path / "none.json")
    html = client.get("/zh-hans/accessibility/").content.decode()
    assert "尚无自动测试结果记录" in html


def test_the_committed_results_are_readable():
    results = accessibility.latest_results()
    assert results is not None, "run tests/browser/test_accessibility.py"
    assert results.checks == results.pages * len(results.languages) * len(
        results.widths
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_site_map_links_every_page(client, language):
    html = client.get(f"/{language}/sitemap/").content.decode()
    for path in (
        "",
        "seminars/",
        "support/",
        "support/request/",
        "jet/",
        "exchange/",
        "experts/",
        "experts/request/",
        "office/",
        "brochure/2019/",
        "privacy/",
        "accessibility/",
    ):
        assert f'href="/{language}/{path}"' in html, path
    for edition in Seminar.objects.values_list("edition", flat=True):
        assert f'href="/{language}/seminars/{edition}/"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_site_map_links_the_latest_seminars_and_the_list(client, language):
    """1,800 seminars (scale 100) made a page of 1,800 links, 1.3 s a render."""
    latest = max(Seminar.objects.values_list("edition", flat=True))
    host = Seminar.objects.get(edition=latest).host_city
    for number in range(1, SITE_MAP_SEMINARS + 1):
        SeminarFactory(host_city=host, edition=latest + number)
    html = client.get(f"/{language}/sitemap/").content.decode()
    editions = [
        int(e) for e in re.findall(rf'href="/{language}/seminars/(\d+)/"', html)
    ]
    newest = latest + SITE_MAP_SEMINARS
    assert editions == list(range(newest, newest - SITE_MAP_SEMINARS, -1))
    with translation.override(language):
        earlier = translation.gettext("Earlier seminars: the seminar list")
    assert f'<a href="/{language}/seminars/">{earlier}</a>' in html


def test_the_icp_filing_shows_in_the_footer_when_set(client):
    assert "beian.miit.gov.cn" not in client.get("/ja/").content.decode()
    with override_settings(ICP_NUMBER="京ICP备12345678号-1"):
        html = client.get("/zh-hans/").content.decode()
    assert (
        '<a href="https://beian.miit.gov.cn/" rel="noopener">京ICP备12345678号-1</a>'
        in html
    )


PUBLIC_PATHS = [
    "",
    "seminars/",
    "seminars/17/",
    "support/",
    "support/request/",
    "jet/",
    "exchange/",
    "experts/",
    "experts/request/",
    "office/",
    "brochure/2019/",
    "privacy/",
    "accessibility/",
    "sitemap/",
]
# What a page loads: styles, scripts, images, icons, frames, media, fonts.
LOADED = re.compile(
    r"<(?:link|script|img|iframe|source|video|audio|embed|object)\b[^>]*?"
    r"\b(?:src|href|data|srcset)=\"([^\"]+)\"",
    re.IGNORECASE,
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_no_page_loads_anything_from_another_host(client, settings, path, language):
    """The portal must work inside China without foreign services: nothing a
    page loads (fonts, scripts, images, styles) comes from another host. The
    browser tests also watch every request Chromium makes."""
    html = client.get(f"/{language}/{path}").content.decode()
    for tag in re.finditer(r"<(link|script|img|iframe|source|style)\b[^>]*>", html):
        text = tag.group(0)
        if text.startswith("<link") and re.search(
            r'rel="(?:alternate|canonical)"', text
        ):
            continue  # addresses of this page, not loaded
        for url in LOADED.findall(text):
            assert url.startswith("/") and not url.startswith("//"), text
    assert "@import" not in html and "url(http" not in html
