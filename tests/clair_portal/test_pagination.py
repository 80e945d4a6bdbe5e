"""OneQueryPaginator: Django's pages, read in one query."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clair_portal.foundation.pagination import OneQueryPaginator
from clair_portal.news.models import Publication
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def publications():
    return Publication.objects.order_by("-date", "-id")


@pytest.mark.parametrize("rows", [0, 1, 19, 20, 21, 45])
def test_each_page_is_djangos_in_one_query(rows):
    PublicationFactory.create_batch(rows)
    django_pages = Paginator(publications(), 20)
    ours = OneQueryPaginator(publications(), 20)
    for number in django_pages.page_range:
        expected = django_pages.page(number)
        with CaptureQueriesContext(connection) as queries:
            page = ours.page(number)
            shown = [
                (p.pk, page.has_next(), page.has_previous(), page.start_index())
                for p in page
            ]
            total = (ours.count, ours.num_pages, page.end_index())
        assert len(queries) == 1
        assert shown == [
            (p.pk, expected.has_next(), expected.has_previous(), expected.start_index())
            for p in expected
        ]
        assert total == (
            django_pages.count,
            django_pages.num_pages,
            expected.end_index(),
        )
        ours = OneQueryPaginator(publications(), 20)  # as each request makes its own


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("x", PageNotAnInteger),
        ("1.5", PageNotAnInteger),
        ("\x00", PageNotAnInteger),
        ("٣", EmptyPage),  # an Arabic-Indic 3: int() reads it, and page 3 is empty
        (0, EmptyPage),
        (-1, EmptyPage),
        (3, EmptyPage),
        (10**30, EmptyPage),
    ],
)
def test_a_page_that_is_not_there_is_refused(number, error):
    PublicationFactory.create_batch(21)
    with pytest.raises(error):
        OneQueryPaginator(publications(), 20).page(number)


def test_an_empty_first_page_is_a_page_unless_refused():
    assert list(OneQueryPaginator(publications(), 20).page(1)) == []
    with pytest.raises(EmptyPage):
        OneQueryPaginator(publications(), 20, allow_empty_first_page=False).page(1)


def test_orphans_are_refused():
    with pytest.raises(ValueError):
        OneQueryPaginator(publications(), 20, orphans=2)
