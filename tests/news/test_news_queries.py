"""The news, publications and search pages answer with as many queries at
20 times the data as at the brochures' (tests/test_query_counts.py measures
the pages without a record or a query of their own)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clair_portal.features.load_data import generate_load_data
from clair_portal.news.models import NewsLink
from seminars.models import Seminar
from tests.factories import NewsItemFactory, PhotoFactory, PublicationFactory

pytestmark = pytest.mark.django_db

SCALE = 20
MAX_QUERIES = 10


def paths(news, publication):
    return [
        "/ja/",
        "/zh-hans/news/",
        "/ja/news/?page=2",
        "/zh-hans/news/archive/2019/",
        f"/ja/news/{news}/",
        f"/zh-hans/news/{news}/",
        "/ja/news/feed/",
        "/zh-hans/publications/",
        f"/ja/publications/{publication}/",
        "/ja/search/?q=北京",
        "/zh-hans/search/?q=广岛县",
        "/ja/search/?q=交流&page=2",
        "/sitemap.xml",
    ]


def count(client, path):
    client.get(path)  # per-process caches fill once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_queries_do_not_grow_with_the_data(django_db_blocker):
    client = Client()
    news = NewsItemFactory()
    PhotoFactory(subject=news)
    NewsLink.objects.create(
        news_item=news,
        content_type=ContentType.objects.get_for_model(Seminar),
        object_id=Seminar.objects.get(edition=17).pk,
    )
    publication = PublicationFactory()
    for _ in range(25):
        NewsItemFactory()
    NewsItemFactory(published_at=datetime.datetime(2019, 6, 1, tzinfo=datetime.UTC))
    pages = paths(news.pk, publication.pk)
    before = {path: count(client, path) for path in pages}
    with transaction.atomic():
        generate_load_data(scale=SCALE)
        after = {path: count(client, path) for path in pages}
        transaction.set_rollback(True)
    assert after == before
    assert max(after.values()) <= MAX_QUERIES, after
