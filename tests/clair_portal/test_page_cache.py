"""The page cache: the triggers that retire cached pages, and what a cached
page costs and keeps apart. The served portal's tests (tests/production/
test_page_cache.py) check it across gunicorn's workers after an admin edit."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from clair_portal.foundation.models import ContentVersion, OutgoingMail
from clair_portal.foundation.page_cache import (
    TRIGGER_NAME,
    content_tables,
    content_token,
)
from exchange.models import TravelExpo
from seminars.models import Seminar
from support_requests.models import SupportRequest

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


def test_a_committed_change_replaces_the_token_and_a_rolled_back_one_does_not(
    committed_brochures,
):
    before = content_token()
    with pytest.raises(RuntimeError), transaction.atomic():
        Seminar.objects.update(participants_japan=1)
        raise RuntimeError("rolled back")
    assert content_token() == before

    # Bulk writes too: the triggers are the database's, not Django's signals.
    Seminar.objects.filter(edition=17).update(participants_japan=99)
    after_update = content_token()
    assert after_update != before
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM exchange_cookingmenuitem WHERE id < 0")
        assert content_token() == after_update  # no row, no change
        cursor.execute("UPDATE exchange_travelexpo SET venue = venue")
    assert content_token() != after_update


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
