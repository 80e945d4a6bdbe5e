"""The page cache: the triggers that retire cached pages, what each page
reads (and so what retires it), and what a cached page costs and keeps
apart. The served portal's tests (tests/production/test_page_cache.py) check
it across gunicorn's workers after an admin edit."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from clair_portal.foundation.models import (
    ContentVersion,
    JapaneseLocalGovernment,
    OutgoingMail,
)
from clair_portal.foundation.page_cache import (
    TRIGGER_NAME,
    content_tables,
    content_token,
)
from clair_portal.news.models import NewsAttachment, NewsLink
from exchange.models import LgotpPlacement, TravelExpo
from jet.models import JetFigure
from seminars.models import Seminar
from support_requests.models import SupportRequest
from support_requests.services import (
    support_request_change_status,
    support_request_post_message,
)
from tests.factories import (
    NewsItemFactory,
    PhotoFactory,
    PublicationFactory,
    SupportExampleFactory,
    SupportRequestFactory,
    UserFactory,
)

SEMINAR_17 = "/ja/seminars/17/"


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


def tables_with_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s",
            [TRIGGER_NAME],
        )
        return {table for (table,) in cursor.fetchall()}


@pytest.mark.django_db
def test_every_content_table_has_the_trigger_and_the_mail_queue_none():
    tables = tables_with_the_trigger()
    assert tables == set(content_tables())
    for model in (Seminar, TravelExpo, SupportRequest.services.through):
        assert model._meta.db_table in tables
    assert OutgoingMail._meta.db_table not in tables
    assert ContentVersion._meta.db_table not in tables


def token_of(*models):
    return content_token(model._meta.db_table for model in models)


def test_a_committed_change_replaces_its_tables_token_and_a_rolled_back_one_does_not(
    committed_brochures,
):
    before = token_of(Seminar)
    with pytest.raises(RuntimeError), transaction.atomic():
        Seminar.objects.update(participants_japan=1)
        raise RuntimeError("rolled back")
    assert token_of(Seminar) == before

    # Bulk writes too: the triggers are the database's, not Django's signals.
    jet_before = token_of(JetFigure)
    Seminar.objects.filter(edition=17).update(participants_japan=99)
    after_update = token_of(Seminar)
    assert after_update != before
    assert token_of(JetFigure) == jet_before  # another table: kept
    travel_expos = token_of(TravelExpo)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM exchange_cookingmenuitem WHERE id < 0")
        assert token_of(TravelExpo, Seminar) == token_of(TravelExpo, Seminar)
        assert token_of(Seminar) == after_update  # no row, no change
        cursor.execute("UPDATE exchange_travelexpo SET venue = venue")
    assert token_of(TravelExpo) != travel_expos
    assert token_of(Seminar) == after_update


def test_a_table_whose_version_row_is_gone_gets_a_new_token(committed_brochures):
    before = token_of(Seminar)
    ContentVersion.objects.filter(table=Seminar._meta.db_table).delete()
    after = token_of(Seminar)
    assert after != before
    assert token_of(Seminar) == after


# What each cached page reads -------------------------------------------------------

# Addresses of every cached page, with the parameters that make it read more.
CACHED_PAGES = {
    "home": ["/ja/"],
    "office": ["/ja/office/"],
    "seminars:list": [
        "/ja/seminars/",
        "/ja/seminars/?fiscal_year=2018&province=510000&page=1",
    ],
    "seminars:detail": ["/ja/seminars/17/"],
    "support_requests:index": ["/ja/support/"],
    "support_requests:request": [
        "/ja/support/request/",
        "/ja/support/request/?kind=overseas_research",
    ],
    "jet:index": ["/ja/jet/"],
    "exchange:index": ["/ja/exchange/"],
    "experts:index": ["/ja/experts/"],
    "experts:request": ["/ja/experts/request/"],
    "brochure:detail": ["/ja/brochure/2019/"],
    "brochure:pdf": ["/ja/brochure/2019.pdf"],
    "places-japan": ["/ja/places/japan/?q=鹿儿"],
    "places-china": ["/zh-hans/places/china/?q=沈阳"],
    "news:list": ["/ja/news/", "/ja/news/?category=calls&page=1"],
    "news:archive": ["/ja/news/archive/2019/"],
    "news:detail": ["/ja/news/{news}/"],
    "publications:list": ["/ja/publications/"],
    "publications:detail": ["/ja/publications/{publication}/"],
    "privacy": ["/ja/privacy/"],
    "accessibility": ["/ja/accessibility/"],
    "sitemap": ["/ja/sitemap/"],
    "django.contrib.sitemaps.views.sitemap": ["/sitemap.xml", "/sitemap.xml?p=1"],
}


def cached_views(patterns=None, namespace=""):
    """{URL name: view} of every page the page cache serves."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            found |= cached_views(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and hasattr(
            pattern.callback, "tables_read"
        ):
            found[f"{namespace}{pattern.name}"] = pattern.callback
    return found


def test_every_cached_page_is_checked_for_what_it_reads():
    assert set(cached_views()) == set(CACHED_PAGES)


@pytest.fixture
def every_kind_of_row(db):
    """Rows that make the pages read every table they can: photos of the
    prefetched records, a counted request, an example of the year shown."""
    seminar = Seminar.objects.get(edition=17)
    PhotoFactory(subject=seminar)
    example = SupportExampleFactory()
    PhotoFactory(subject=example)
    SupportRequestFactory()
    # A news item with a photo, a file and records of two kinds linked (one
    # named from its places), and a publication.
    news = NewsItemFactory(
        published_at=datetime.datetime(2019, 6, 1, tzinfo=datetime.UTC)
    )
    PhotoFactory(subject=news)
    NewsAttachment.objects.create(
        news_item=news, file="news/flyer.pdf", label_ja="チラシ"
    )
    for record in (seminar, LgotpPlacement.objects.first()):
        NewsLink.objects.create(
            news_item=news,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
        )
    return {"news": news.pk, "publication": PublicationFactory(file="p.pdf").pk}


def tables_touched(client, path):
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(path)
    assert response.status_code == 200, path
    sql = "\n".join(statements)
    return response, {
        table for table in content_tables() if re.search(rf"\b{table}\b", sql)
    }


@pytest.mark.parametrize("name", sorted(CACHED_PAGES))
def test_a_cached_page_declares_every_table_it_reads(client, every_kind_of_row, name):
    """A table a page reads but does not declare would leave it stale."""
    for path in CACHED_PAGES[name]:
        response, touched = tables_touched(client, path.format(**every_kind_of_row))
        assert touched, path  # the recording works
        declared = set(response.resolver_match.func.tables_read)
        undeclared = sorted(touched - declared)
        assert not undeclared, f"{path} reads {undeclared}"
        assert name == (
            f"{response.resolver_match.namespace}:{response.resolver_match.url_name}"
            if response.resolver_match.namespace
            else response.resolver_match.url_name
        )


# What retires which page ------------------------------------------------------------

PROGRAM_PAGES = [
    "/ja/",
    "/ja/office/",
    "/ja/seminars/",
    "/zh-hans/seminars/17/",
    "/ja/jet/",
    "/ja/exchange/",
    "/ja/experts/",
]


def etags(client, paths):
    tags = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200
        tags[path] = response["ETag"]
    return tags


def test_the_support_desks_work_retires_no_program_page(
    committed_brochures, client, page_cache
):
    before = etags(client, [*PROGRAM_PAGES, "/ja/support/"])
    takayama = JapaneseLocalGovernment.objects.get(code="21203")
    support_request = SupportRequestFactory(government=takayama)
    staff = UserFactory(is_staff=True)
    support_request_post_message(request=support_request, body="お問い合わせ")
    support_request_post_message(request=support_request, body="返信", user=staff)
    support_request_post_message(
        request=support_request, body="内部メモ", user=staff, internal=True
    )
    support_request_change_status(
        request=support_request, status=SupportRequest.Status.DECLINED, user=staff
    )

    with CaptureQueriesContext(connection) as queries:
        after = etags(client, PROGRAM_PAGES)
    assert len(queries) == len(PROGRAM_PAGES)  # a token each: served from the cache
    assert after == {path: before[path] for path in PROGRAM_PAGES}
    # The support page counts the requests: retired.
    assert etags(client, ["/ja/support/"])["/ja/support/"] != before["/ja/support/"]


def test_an_edited_seminar_retires_the_pages_that_show_seminars_and_no_other(
    committed_brochures, client, page_cache
):
    shown = ["/ja/", "/ja/seminars/", "/zh-hans/seminars/17/"]
    kept = ["/ja/office/", "/ja/jet/", "/ja/exchange/", "/ja/experts/", "/ja/support/"]
    before = etags(client, shown + kept)
    Seminar.objects.filter(edition=17).update(participants_japan=99)
    after = etags(client, shown + kept)
    assert all(after[path] != before[path] for path in shown)
    assert all(after[path] == before[path] for path in kept)


@pytest.mark.django_db
def test_a_cached_page_costs_one_query_and_is_the_same_page(client, page_cache):
    rendered = client.get(SEMINAR_17)
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(SEMINAR_17)
    assert len(queries) == 1  # the token
    assert cached.content == rendered.content
    assert cached["Content-Type"] == rendered["Content-Type"]
    assert cached["ETag"] == rendered["ETag"]
    assert cached["Content-Language"] == "ja"


@pytest.mark.django_db
def test_pages_are_kept_apart_by_language_and_query(client, page_cache):
    japanese = client.get(SEMINAR_17).content
    chinese = client.get("/zh-hans/seminars/17/").content
    assert japanese != chinese
    assert b'lang="zh-hans"' in chinese
    assert (
        client.get("/ja/seminars/").content
        != client.get("/ja/seminars/?fiscal_year=2018").content
    )


@pytest.mark.django_db
def test_a_new_release_renders_afresh(client, page_cache, settings):
    client.get(SEMINAR_17)
    settings.RELEASE = "next-release"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEMINAR_17)
    assert len(queries) > 1
    assert response["ETag"].startswith('"next-release-')


@pytest.mark.django_db
def test_without_the_page_cache_every_request_renders(client, settings):
    settings.PAGE_CACHE = False
    client.get(SEMINAR_17)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEMINAR_17)
    assert len(queries) > 1
    assert "ETag" not in response


@pytest.mark.django_db
def test_the_private_tracking_page_is_never_cached(client, page_cache):
    from tests.factories import SupportRequestFactory

    url = SupportRequestFactory().tracking_path()
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert "ETag" not in response
