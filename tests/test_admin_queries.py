"""The support queue's search and the admin pages' cost whatever the data size."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clair_portal.foundation.admin import PlaceListFilter
from support_requests.admin import searched_columns_hold
from support_requests.models import RequestKind, SupportRequest
from tests import factories

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:support_requests_supportrequest_changelist")


@pytest.fixture
def desk_client(client):
    user = factories.UserFactory()
    user.groups.set(Group.objects.filter(name="support desk"))
    client.force_login(user)
    return client


def shown(response):
    return {request.reference for request in response.context["cl"].result_list}


def test_queue_search_finds_requests_by_government_region_and_own_columns(
    admin_client,
):
    city = factories.JapaneseCityFactory(
        name_ja="横浜市", name_zh_hans="横滨市", prefecture__name_ja="神奈川県"
    )
    by_city = factories.SupportRequestFactory(government=city)
    by_name = factories.SupportRequestFactory(contact_name="田中花子")
    by_email = factories.SupportRequestFactory(email="Someone@Yokohama.example.jp")
    expert = factories.SupportRequestFactory(
        kind=RequestKind.EXPERT_DISPATCH,
        government=None,
        chinese_government=factories.ChineseCityFactory(
            province__name_zh_hans="北京市"
        ),
    )
    factories.SupportRequestFactory.create_batch(3)

    def search(term):
        return shown(admin_client.get(QUEUE, {"q": term}))

    # The government's name in either language, the region's, a short word
    # without case (no trigram), a word in any case, every word of several.
    assert search("横滨") == {by_city.reference}
    assert search("神奈川") == {by_city.reference}
    assert search("北京") == {expert.reference}
    assert search("田中") == {by_name.reference}
    assert search("yokohama") == {by_email.reference}
    assert search("横浜 神奈川") == {by_city.reference}
    assert search('"田中花子" 横浜') == set()


def test_queue_counts_rows_once(admin_client):
    """One count (the rows shown): the count of the whole table is not asked."""
    factories.SupportRequestFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(QUEUE, {"q": "担当者"})
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1


def test_queue_lists_the_staff_as_assignees_without_reading_the_queue(
    admin_client, admin_user
):
    factories.SupportRequestFactory(assignee=admin_user)
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(QUEUE)
    assert not [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "auth_user"')
        and "support_requests_supportrequest" in q["sql"]
    ]


def queries_of(client, url):
    client.get(url)  # warm: content types, permissions
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "query",
    [{}, {"q": "担当者"}, {"q": "ab"}, {"status__exact": "new"}],
    ids=["queue", "search", "short-search", "status"],
)
def test_queue_queries_do_not_grow_with_rows(desk_client, query):
    url = f"{QUEUE}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
    factories.SupportRequestFactory.create_batch(2)
    factories.SupportRequestFactory(
        kind=RequestKind.EXPERT_DISPATCH,
        government=None,
        chinese_government=factories.ChineseCityFactory(),
    )
    few = queries_of(desk_client, url)
    factories.SupportRequestFactory.create_batch(40)
    factories.SupportRequestFactory.create_batch(
        5,
        kind=RequestKind.EXPERT_DISPATCH,
        government=None,
        chinese_government=factories.ChineseCityFactory(),
    )
    assert queries_of(desk_client, url) == few


def test_request_page_queries_do_not_grow_with_rows(desk_client):
    request = factories.SupportRequestFactory()
    url = reverse("admin:support_requests_supportrequest_change", args=[request.pk])
    few = queries_of(desk_client, url)
    factories.SupportRequestFactory.create_batch(30)
    factories.JapaneseCityFactory.create_batch(30)
    assert queries_of(desk_client, url) == few


def test_seminar_page_queries_do_not_grow_with_rows(admin_client):
    seminar = factories.SeminarFactory()
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    few = queries_of(admin_client, url)
    factories.SeminarFactory.create_batch(20)
    factories.ChineseCityFactory.create_batch(30)
    assert queries_of(admin_client, url) == few


def test_edition_records_pick_their_edition_by_search(admin_client):
    """A record of an edition offers the editions through autocomplete, not a
    select of every edition rendered on the page."""
    figure = factories.KeyFigureFactory()
    factories.BrochureEditionFactory.create_batch(5)
    response = admin_client.get(
        reverse("admin:clair_portal_keyfigure_change", args=[figure.pk])
    )
    assert response.content.decode().count("<option") <= 10


@pytest.mark.parametrize("word", ["北京", "王", "wang", "ﾜﾝ", "cn", "W-8"])
def test_queue_search_reads_indexes(admin_client, word):
    """The queue's order, and a search for a word of any length, CJK or not,
    use their indexes: the search its folded column's trigram index
    (support_requests' migration 0009), which itself sets aside the requests
    without the word, even for one or two characters (a pattern of fewer
    than three characters inside a word would make it return every row, for
    the table to be read again)."""
    # Others without the words, nor their trigrams: the factory's sequence
    # numbers in its contact names ("担当者8…") would hold some.
    factories.SupportRequestFactory.create_batch(5, contact_name="担当者")
    found = factories.SupportRequestFactory(
        reference="W-8",
        contact_name="王 ワン",
        department="北京事務所",
        email="wang@example.cn",
    )
    assert list(
        SupportRequest.objects.filter(searched_columns_hold(word)).values_list(
            "pk", flat=True
        )
    ) == [found.pk]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = (
                SupportRequest.objects.filter(searched_columns_hold(word))
                .order_by()
                .explain(analyze=True)
            )
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "Bitmap Index Scan on supportrequest_search" in plan
    assert "Rows Removed by Index Recheck" not in plan
    ordered = SupportRequest.objects.order_by("-created_at", "-pk")[:25]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = ordered.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "supportrequest_queue_order" in plan


def test_a_place_filter_shows_while_its_places_are_few(admin_client):
    """The LGOTP list filters by host while the hosts are few; with more than
    PlaceListFilter.MAX_CHOICES the filter is left out (the search finds a
    host by name) rather than drawing every place."""
    url = reverse("admin:exchange_lgotpplacement_changelist")
    factories.LgotpPlacementFactory.create_batch(3)
    page = admin_client.get(url).content.decode()
    assert "?host__id__exact=" in page

    factories.LgotpPlacementFactory.create_batch(PlaceListFilter.MAX_CHOICES)
    page = admin_client.get(url).content.decode()
    assert "?host__id__exact=" not in page
    assert "?fiscal_year=" in page
