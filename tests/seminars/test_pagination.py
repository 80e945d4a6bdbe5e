"""The seminar archive comes in pages of 20, newest first, with a pager that
keeps the filters."""

import re

import pytest

from tests.factories import SeminarFactory

pytestmark = pytest.mark.django_db

PAGER = {"ja": "ページ送り", "zh-hans": "分页"}
NEXT = {"ja": "次のページ", "zh-hans": "下一页"}
PREVIOUS = {"ja": "前のページ", "zh-hans": "上一页"}


def get(client, language, **query):
    response = client.get(f"/{language}/seminars/", query)
    assert response.status_code == 200
    return response.content.decode()


def editions(html):
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [int(n) for n in re.findall(r'href="/[a-z-]+/seminars/(\d+)/"', body)]


def pager(html):
    return html.split('<nav class="pagination"')[1].split("</nav>")[0]


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_the_brochures_seminars_fit_on_one_page(client, language):
    html = get(client, language)
    assert editions(html) == list(range(18, 0, -1))
    assert 'class="pagination"' not in html


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_pages_of_twenty_newest_first(client, language):
    SeminarFactory.create_batch(25)  # editions 100..., 43 seminars in all

    first = get(client, language)
    assert editions(first) == sorted(editions(first), reverse=True)
    assert len(editions(first)) == 20
    nav = pager(first)
    assert f'aria-label="{PAGER[language]}"' in first
    assert re.search(r'href="\?page=1" aria-current="page"[^>]*>1</a>', nav)
    assert f'href="?page=2" rel="next">{NEXT[language]}</a>' in nav
    assert 'rel="prev"' not in nav
    assert nav.count('aria-current="page"') == 1

    last = get(client, language, page=3)
    assert editions(last) == [3, 2, 1]
    nav = pager(last)
    assert f'href="?page=2" rel="prev">{PREVIOUS[language]}</a>' in nav
    assert 'rel="next"' not in nav
    assert re.search(r'href="\?page=3" aria-current="page"[^>]*>3</a>', nav)
    assert set(editions(first)).isdisjoint(editions(get(client, language, page=2)))


@pytest.mark.parametrize("page", ["4", "0", "abc"])
def test_a_page_out_of_range_is_404(client, page):
    SeminarFactory.create_batch(25)
    assert client.get("/ja/seminars/", {"page": page}).status_code == 404


def test_the_last_page_by_name(client):
    SeminarFactory.create_batch(25)
    assert editions(get(client, "ja", page="last")) == [3, 2, 1]


def test_the_pager_keeps_the_filters(client):
    SeminarFactory.create_batch(25)  # all in FY2040

    html = get(client, "zh-hans", fiscal_year=2040)
    assert len(editions(html)) == 20
    assert 'href="?fiscal_year=2040&amp;page=2" rel="next"' in pager(html)

    html = get(client, "zh-hans", fiscal_year=2040, page=2)
    assert len(editions(html)) == 5
    assert 'href="?fiscal_year=2040&amp;page=1" rel="prev"' in pager(html)


def test_many_pages_are_elided(client):
    SeminarFactory.create_batch(200)  # 218 seminars: 11 pages

    nav = pager(get(client, "ja", page=6))
    numbers = re.findall(r'aria-label="(\d+)ページ"', nav)
    assert numbers == ["1", "4", "5", "6", "7", "8", "11"]
    assert nav.count("…") == 2
