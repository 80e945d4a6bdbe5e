"""Cache poisoning (issue 12, items 5 and 10): what one visitor sends must
not shape what the page cache serves the next, nor make the server work
again for a page it already has.

- Query strings: a public page is kept under its canonical address (its path,
  language and the parameters its view reads), so `?n=<anything>` neither
  renders it again nor shows up in its links; a brochure PDF is rendered once
  per content version and language, however many requests ask at once.
- The Host header: canonical, og:url, hreflang, the feed's and the sitemap's
  links and the tracking link come from SITE_URL, never from the request.

The served portal (gunicorn's workers) is tested in
tests/production/test_page_cache.py.
"""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import icalendar
import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from clair_portal.features.brochure import pdf
from clair_portal.features.brochure.pdf_store import RETRY_FAILED_RENDER_AFTER
from clair_portal.foundation.fiscal import fiscal_year_of
from clair_portal.foundation.models import JapaneseLocalGovernment
from clair_portal.foundation.page_cache import PARAM_VALUE_LIMIT, canonical_query
from seminars.models import Seminar
from support_requests.models import SupportRequest
from tests.factories import SeminarFactory, SupportRequestFactory

SITE_URL = "https://portal.example.org"
# Admitted by ALLOWED_HOSTS (as "localhost" admits "localhost:6666"), but not
# the portal's public address.
FORGED_HOST = "evil.example:6666"


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True
    settings.SITE_URL = SITE_URL
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pdf_store(settings, tmp_path):
    """The private storage in a directory of the test's own."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def renders(monkeypatch):
    """The PDF renderer's calls, each slow enough for concurrent requests to
    overlap it; what it returns ends as a PDF does."""
    calls = []
    lock = threading.Lock()

    def render_pdf(html, *, base_url):
        with lock:
            calls.append(base_url)
            number = len(calls)
        time.sleep(0.5)
        return b"%PDF-1.7\n% render " + str(number).encode() + b"\n%%EOF\n"

    monkeypatch.setattr(pdf, "render_pdf", render_pdf)
    return calls


def get_at_once(paths):
    """GET every path at the same time, each from its own thread (and
    database connection), as requests reaching several workers."""

    def get(path):
        try:
            return Client().get(path)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(len(paths)) as pool:
        return list(pool.map(get, paths))


def public_links(html):
    """The page's canonical, og:url and hreflang URLs."""
    links = {
        "canonical": re.findall(r'<link rel="canonical" href="([^"]*)"', html),
        "og:url": re.findall(r'<meta property="og:url" content="([^"]*)"', html),
        "hreflang": re.findall(
            r'<link rel="alternate" hreflang="[^"]*" href="([^"]*)"', html
        ),
    }
    assert all(links.values()), links
    return [url for urls in links.values() for url in urls]


# Query strings ------------------------------------------------------------------


def test_only_declared_parameters_are_kept_one_value_each_cut_and_sorted():
    query = QueryDict(f"utm_source=x&page=2&page=3&province={'9' * 100}&n=1")
    assert (
        canonical_query(query, ["page", "province", "fiscal_year"]).urlencode()
        == f"page=3&province={'9' * PARAM_VALUE_LIMIT}"
    )
    assert canonical_query(query, []).urlencode() == ""


def test_a_number_has_one_spelling_in_the_key():
    for spelling in ("2", "02", "0002", " 2", "2 "):
        query = QueryDict(f"page={spelling}")
        assert canonical_query(query, ["page"]).urlencode() == "page=2"


@pytest.mark.django_db
def test_a_parameter_the_page_does_not_read_makes_no_new_copy(client, page_cache):
    first = client.get("/ja/seminars/17/?n=1")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/ja/seminars/17/?n=2")
    assert len(queries) == 1  # the token: served from the cache
    assert again.content == first.content


@pytest.mark.django_db
def test_junk_parameters_never_reach_the_links_of_a_cached_page(client, page_cache):
    SeminarFactory.create_batch(25)  # 43 editions: three pages of 20
    page = client.get("/ja/seminars/?page=2&utm_source=junk-value").content.decode()
    assert 'href="?page=1"' in page and 'href="?page=3"' in page
    assert "junk-value" not in page
    with CaptureQueriesContext(connection) as queries:
        plain = client.get("/ja/seminars/?page=2")
    assert len(queries) == 1
    assert plain.content.decode() == page
    # The page number is the list's own: another page is another copy.
    assert client.get("/ja/seminars/?page=3").content.decode() != page


@pytest.mark.django_db
def test_declared_parameters_in_any_order_are_one_copy(client, page_cache):
    province = Seminar.objects.filter(host_city__province__isnull=False).first()
    code = province.host_city.province.code
    assert (
        client.get(f"/ja/seminars/?province={code}&fiscal_year=2018").status_code == 200
    )
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/ja/seminars/?fiscal_year=2018&province=0{code}")
    assert len(queries) == 1
    # A filter the list reads still counts.
    assert (
        client.get("/ja/seminars/?fiscal_year=2018").content
        != client.get("/ja/seminars/").content
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "/ja/seminars/?province=zzz",
        "/ja/seminars/?province=" + "9" * (PARAM_VALUE_LIMIT + 10),
        "/zh-hans/seminars/?fiscal_year=1850",
        "/ja/seminars/?fiscal_year=%E5%8C%97%E4%BA%AC",
        "/ja/support/request/?kind=made-up",
        "/zh-hans/support/request/?kind=%E6%B2%B3",
    ],
)
def test_values_no_form_offers_are_answered_but_never_kept(client, page_cache, query):
    client.get("/ja/seminars/")  # the cache holds something
    kept = len(cache._cache)
    for _ in range(2):
        response = client.get(query)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]
    assert len(cache._cache) == kept


def test_a_pdf_is_rendered_once_per_content_version_and_language(
    committed_brochures, client, page_cache, pdf_store, renders
):
    junk = [f"/ja/brochure/2019.pdf?n={number}" for number in range(6)]
    responses = get_at_once(junk)
    assert {response.status_code for response in responses} == {200}
    assert len({response.content for response in responses}) == 1
    assert len(renders) == 1

    # Another worker (an empty page cache), new junk: read from the store.
    cache.clear()
    for query in ("?n=1", "?n=2", "?utm_source=x"):
        response = client.get(f"/ja/brochure/2019.pdf{query}")
        assert response.content == responses[0].content
    assert len(renders) == 1
    assert client.get("/zh-hans/brochure/2019.pdf?n=1").status_code == 200
    assert len(renders) == 2

    # A committed change: rendered again, once; the old version's file goes.
    Seminar.objects.filter(edition=17).update(participants_japan=77)
    changed = get_at_once(junk)
    assert len({response.content for response in changed}) == 1
    assert changed[0].content != responses[0].content
    assert len(renders) == 3
    assert len(list((pdf_store / "brochure-pdf" / "2019" / "ja").iterdir())) == 1
    # Its links resolve against the public address, whatever the Host.
    assert set(renders) == {f"{SITE_URL}/"}


def test_a_support_request_retires_only_its_own_years_pdfs(
    committed_brochures, client, page_cache, pdf_store, renders
):
    # Each request from the public form changed the table's token and had
    # every year's PDF rendered again; the brochure reads only how many
    # requests of each kind the desk took up in its year.
    # From a government already there, as the form's requests come.
    takayama = JapaneseLocalGovernment.objects.get(code="21203")
    first = client.get("/ja/brochure/2019.pdf").content
    SupportRequestFactory(fiscal_year=2026, government=takayama)
    cache.clear()  # another worker, or a page cache retired by the request
    assert client.get("/ja/brochure/2019.pdf").content == first
    assert len(renders) == 1

    # Of its year, but only sent: not in the brochure, nothing rendered.
    request = SupportRequestFactory(fiscal_year=2019, government=takayama)
    cache.clear()
    assert client.get("/ja/brochure/2019.pdf").content == first
    assert len(renders) == 1

    # Taken up by the desk: counted, rendered again (a reviewer's run served
    # the old figure, as the version counted every request sent).
    SupportRequest.objects.filter(pk=request.pk).update(status="arranging")
    cache.clear()
    assert client.get("/ja/brochure/2019.pdf").content != first
    assert len(renders) == 2
    assert len(list((pdf_store / "brochure-pdf" / "2019" / "ja").iterdir())) == 1


def test_a_pdf_cut_short_in_the_store_is_rendered_again(
    committed_brochures, client, page_cache, pdf_store, renders
):
    first = client.get("/ja/brochure/2019.pdf").content
    (stored,) = (pdf_store / "brochure-pdf" / "2019" / "ja").iterdir()
    stored.write_bytes(first[:10])  # as a crash while writing leaves it
    cache.clear()
    assert client.get("/ja/brochure/2019.pdf").content.endswith(b"%%EOF\n")
    assert len(renders) == 2
    assert stored.read_bytes().endswith(b"%%EOF\n")


@pytest.mark.parametrize(
    "failure",
    [pdf.RenderTimeout("stopped after 30 s"), AssertionError()],
    ids=["past its limit", "an error of WeasyPrint's"],
)
def test_a_failed_render_answers_the_503_page_and_is_not_started_again(
    committed_brochures, client, page_cache, pdf_store, monkeypatch, failure
):
    # A render past gunicorn's timeout got the worker killed and the visitor
    # gunicorn's English error; nothing was stored, so every later visitor
    # started the same render again.
    calls = []

    def failing_render(html, *, base_url):
        calls.append(base_url)
        time.sleep(0.5)  # the visitors behind it wait for it
        raise failure

    monkeypatch.setattr(pdf, "render_pdf", failing_render)
    responses = get_at_once(["/ja/brochure/2019.pdf"] * 4)
    assert len(calls) == 1
    for language in ("ja", "zh-hans"):
        cache.clear()  # another worker
        for response in [
            *(responses if language == "ja" else []),
            client.get(f"/{language}/brochure/2019.pdf"),
        ]:
            assert response.status_code == 503
            assert 0 < int(response["Retry-After"]) <= RETRY_FAILED_RENDER_AFTER
            html = response.content.decode()
            assert f'<html lang="{language}">' in html
            with translation.override(language):
                assert gettext("This page is taking too long") in html
    assert len(calls) == 2  # once per language
    directory = pdf_store / "brochure-pdf" / "2019" / "ja"
    assert [path.suffix for path in directory.iterdir()] == [".failed"]

    def working_render(html, *, base_url):
        calls.append(base_url)
        return b"%PDF-1.7\n%%EOF\n"

    monkeypatch.setattr(pdf, "render_pdf", working_render)
    monkeypatch.setattr(
        "clair_portal.features.brochure.pdf_store.RETRY_FAILED_RENDER_AFTER", 0
    )
    cache.clear()
    assert client.get("/ja/brochure/2019.pdf").status_code == 200
    assert len(calls) == 3, "tried again after RETRY_FAILED_RENDER_AFTER"


def test_a_version_whose_render_failed_is_rendered_once_its_data_change(
    committed_brochures, client, page_cache, pdf_store, monkeypatch, renders
):
    working_render = pdf.render_pdf

    def failing_render(html, *, base_url):
        raise pdf.RenderTimeout("stopped after 30 s")

    monkeypatch.setattr(pdf, "render_pdf", failing_render)
    assert client.get("/ja/brochure/2019.pdf").status_code == 503
    monkeypatch.setattr(pdf, "render_pdf", working_render)
    Seminar.objects.filter(edition=17).update(participants_japan=77)
    assert client.get("/ja/brochure/2019.pdf").status_code == 200
    assert len(renders) == 1
    # The new version's file replaced the failed one's mark.
    (stored,) = (pdf_store / "brochure-pdf" / "2019" / "ja").iterdir()
    assert stored.suffix == ".pdf"


# The Host header ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/ja/", "/zh-hans/seminars/17/", "/ja/seminars/?page=1", "/ja/brochure/2019/"],
)
def test_a_forged_host_never_reaches_the_next_visitors_links(client, page_cache, path):
    forged = client.get(
        path, HTTP_HOST=FORGED_HOST, HTTP_X_FORWARDED_HOST="evil.example"
    )
    assert forged.status_code == 200
    plain = client.get(path).content.decode()
    for html in (forged.content.decode(), plain):
        assert "evil.example" not in html
        assert all(url.startswith(f"{SITE_URL}/") for url in public_links(html))


@pytest.mark.django_db
def test_the_tracking_link_shown_is_on_the_public_address(client, page_cache):
    support_request = SupportRequestFactory()
    path = support_request.tracking_path()
    html = client.get(path, HTTP_HOST=FORGED_HOST).content.decode()
    assert f"{SITE_URL}{path}" in html
    assert "evil.example" not in html


@pytest.mark.django_db
def test_the_events_feed_and_the_sitemap_link_to_the_public_address(client, page_cache):
    start = timezone.localdate() + timedelta(days=30)
    seminar = SeminarFactory(
        fiscal_year=fiscal_year_of(start),
        start_date=start,
        end_date=start + timedelta(days=2),
    )
    feed = client.get("/ja/exchange/events.ics", HTTP_HOST=FORGED_HOST)
    urls = [
        str(event["URL"])
        for event in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
        if "URL" in event
    ]
    assert f"{SITE_URL}/ja/seminars/{seminar.edition}/" in urls
    assert all(url.startswith(f"{SITE_URL}/") for url in urls)

    sitemap = client.get("/sitemap.xml", HTTP_HOST=FORGED_HOST).content.decode()
    locations = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert f"{SITE_URL}/ja/seminars/17/" in locations
    assert "evil.example" not in sitemap
