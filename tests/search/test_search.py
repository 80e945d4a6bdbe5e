"""The site search: variant forms, two-character queries, languages,
snippets, pages, and queries meant to break it."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from clair_portal.features.search.index import rebuild_index
from clair_portal.features.search.models import SearchDocument
from clair_portal.features.search.text import (
    fold,
    highlighted,
    index_form,
    query_terms,
    snippet,
)
from tests.factories import NewsItemFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db


def search(client, query, language="ja", **params):
    with translation.override(language):
        path = reverse("search")
    return client.get(path, {"q": query, **params})


@pytest.mark.parametrize(
    "variants",
    [
        ("広島", "广岛", "廣島"),
        ("瀋陽", "沈阳"),
        ("県", "县", "縣"),
        ("国際", "国际", "國際"),
        ("ＪＥＴ", "jet", "JET"),
    ],
)
def test_variant_forms_fold_to_one(variants):
    assert len({fold(variant) for variant in variants}) == 1


def test_the_index_form_cuts_cjk_in_pairs_and_keeps_words():
    assert index_form("北京市 JET2019") == " 北京 京市 市 jet2019 "
    assert [term.pattern for term in query_terms("北京 県 JET")] == [
        " 北京 ",
        " 县",
        " jet",
    ]


def test_a_snippet_marks_the_terms_in_the_original_text_and_escapes_it():
    html = snippet("<b>廣島縣</b>と瀋陽市の交流", query_terms("广岛 沈阳"))
    assert html == "&lt;b&gt;<mark>廣島</mark>縣&lt;/b&gt;と<mark>瀋陽</mark>市の交流"


def test_a_title_is_whole_wherever_its_term_is():
    # A place's title; the term at its end once cut it to 「…道北广岛市」.
    assert highlighted("北海道北广岛市", query_terms("广岛")) == (
        "北海道北<mark>广岛</mark>市"
    )
    long_text = "交流" * 100 + "沈阳"
    html = snippet(long_text, query_terms("沈阳"), width=30)
    assert html.startswith("…") and html.endswith("<mark>沈阳</mark>")
    assert len(html.replace("<mark>", "").replace("</mark>", "")) == 31


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("北京", "ja", "/ja/seminars/"),
        ("福州", "zh-hans", "/zh-hans/seminars/18/"),
        ("沈阳", "ja", "<mark>瀋陽</mark>"),  # as the Japanese brochure writes it
        ("広島", "zh-hans", "广岛"),
        ("國際", "zh-hans", "国际"),
    ],
)
def test_two_characters_and_other_scripts_find_the_brochures_records(
    client, query, language, expected
):
    response = search(client, query, language)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert "<mark>" in response.content.decode()


def test_results_come_in_the_visitors_language_then_the_other_marked(client):
    only_chinese = NewsItemFactory(
        title_ja="", summary_ja="", body_ja="", title_zh_hans="苏州市日语演讲比赛"
    )
    NewsItemFactory(title_ja="蘇州市の日本語スピーチ大会", title_zh_hans="苏州的活动")
    page = search(client, "蘇州", "ja").content.decode()
    mine = page.index("蘇州市の日本語スピーチ大会".replace("蘇州", "<mark>蘇州</mark>"))
    other = page.index('<article class="search-result" lang="zh-hans">')
    assert mine < other
    assert f"/ja/news/{only_chinese.pk}/" in page


def test_results_are_paged(client):
    for n in range(12):
        NewsItemFactory(title_ja=f"鹿児島県のお知らせ{n}")
    # A word only the news holds (鹿児島 also finds every government of the
    # prefecture's list).
    first = search(client, "お知らせ").content.decode()
    assert first.count('class="search-result"') == 10
    assert 'rel="next"' in first
    second = search(client, "お知らせ", page="2").content.decode()
    assert second.count('class="search-result"') == 2
    assert search(client, "お知らせ", page="99").status_code == 200


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
@pytest.mark.parametrize(
    "page",
    ["922337203685477582", "99999999999999999999", "9" * 5000, "-5", "0", "1.5", "二"],
)
def test_any_page_number_shows_a_page_of_results(client, language, page):
    # Past PostgreSQL's bigint OFFSET the page was a database error (a 500).
    for n in range(12):
        NewsItemFactory(
            title_ja=f"鹿児島県のお知らせ{n}", title_zh_hans=f"鹿儿岛县的通知{n}"
        )
    query = "お知らせ" if language == "ja" else "通知"
    response = search(client, query, language, page=page)
    assert response.status_code == 200
    results = response.content.decode().count('class="search-result"')
    assert results in (10, 2), page


EMPTY = "Type a word or two in the search box: a place (北京, 広島), a program (JET, LGOTP), a theme."
TOO_LONG = "The search was not run: type at most %(limit)s characters."
NO_WORDS = "The search was not run: it holds no letters or numbers to look for."
FOUND = "%(counter)s result for “%(query)s”"


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", EMPTY),
        ("   ", EMPTY),
        ("x" * 10_000, TOO_LONG),
        ("%_\\", NO_WORDS),
        ("%", NO_WORDS),
        (".*(?<=[", NO_WORDS),
        ("😀🇯🇵", NO_WORDS),
        ("'; DROP TABLE search_searchdocument; --", FOUND),
        ("مرحبا Привет 안녕 ᠮᠣᠩᠭᠣᠯ", FOUND),
        ("北京" * 50, FOUND),
    ],
)
def test_a_hostile_or_empty_query_gets_a_clear_answer(client, language, query, message):
    response = search(client, query, language)
    assert response.status_code == 200
    with translation.override(language):
        if message == FOUND:
            expected = translation.ngettext(FOUND, FOUND, 0) % {
                "counter": 0,
                "query": query.strip()[:100],
            }
        else:
            expected = translation.gettext(message) % {"limit": 100}
    assert escape(expected) in response.content.decode()
    assert SearchDocument.objects.exists()


def test_a_nul_byte_is_refused_with_the_portals_page(client):
    response = search(client, "北京\x00")
    assert response.status_code == 400
    assert '<html lang="ja">' in response.content.decode()


def test_a_support_request_is_never_found(client):
    request = SupportRequestFactory(contact_name="秘密太郎")
    rebuild_index()
    assert 'class="search-result"' not in search(client, "秘密太郎").content.decode()
    assert not SearchDocument.objects.filter(
        source="support_requests.supportrequest"
    ).exists()
    assert request.pk


def test_a_saved_record_is_found_at_once_and_a_deleted_one_no_more(client):
    item = NewsItemFactory(title_ja="宮崎県の物産展")
    assert f"/ja/news/{item.pk}/" in search(client, "宮崎").content.decode()
    pk = item.pk
    item.delete()
    assert f"/ja/news/{pk}/" not in search(client, "宮崎").content.decode()


def test_the_search_box_is_in_every_pages_header(client):
    for path in ("/ja/", "/zh-hans/seminars/17/", "/ja/news/"):
        page = client.get(path).content.decode()
        assert 'role="search"' in page and 'type="search" name="q"' in page
    page = search(client, "北京").content.decode()
    assert 'value="北京"' in page
