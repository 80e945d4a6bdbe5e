"""The queue's search column: kept with the searched columns on every path
that writes them, folded as the queue folds a search, and filled by the
migration for the requests that existed before it."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from support_requests.admin import searched_columns_hold
from support_requests.models import SupportRequest
from support_requests.services import support_request_correct
from tests import factories

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:support_requests_supportrequest_changelist")


@pytest.fixture
def desk_user():
    user = factories.UserFactory()
    user.groups.set(Group.objects.filter(name="support desk"))
    return user


def found(word):
    return set(
        SupportRequest.objects.filter(searched_columns_hold(word)).values_list(
            "pk", flat=True
        )
    )


def test_a_new_request_is_found_by_each_searched_column():
    request = factories.SupportRequestFactory(
        reference="BJ-2026-0042",
        contact_name="王 芳",
        email="wang.fang@city.example.jp",
        department="北京事務所",
    )
    for word in ["BJ-2026-0042", "0042", "王", "王 芳", "wang.fang", "北京", "事務所"]:
        assert found(word) == {request.pk}, word


def test_a_correction_moves_the_request_to_its_new_words(desk_user):
    request = factories.SupportRequestFactory(email="old-address@example.jp")
    support_request_correct(
        request=request, changes={"email": "renamed@example.cn"}, user=desk_user
    )
    assert found("renamed") == {request.pk}
    assert found("old-address") == set()


def test_a_save_of_other_columns_leaves_the_search_as_it_was():
    request = factories.SupportRequestFactory(contact_name="田中 一郎")
    SupportRequest.objects.filter(pk=request.pk).update(search=" stale ")
    request.status = SupportRequest.Status.ARRANGING
    request.save(update_fields=["status"])
    request.refresh_from_db()
    assert request.search == " stale "
    request.contact_name = "田中 二郎"
    request.save(update_fields=["contact_name"])
    request.refresh_from_db()
    assert request.search == request.search_text() != " stale "


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ＷＡＮＧ", "wang"),
        ("Wang", "WANG"),
        ("ﾜﾝ", "ワン"),
        ("１２３", "123"),
        ("AUSSEN", "Außenstelle"),
    ],
)
def test_width_and_case_are_folded(typed, stored):
    request = factories.SupportRequestFactory(contact_name=stored)
    assert found(typed) == {request.pk}


def test_punctuation_alone_finds_nothing_and_is_not_a_wildcard():
    factories.SupportRequestFactory.create_batch(2)
    for word in ["@", "%", "_", "-"]:
        assert found(word) == set(), word


def test_the_queue_page_finds_by_the_column(client, desk_user):
    request = factories.SupportRequestFactory(contact_name="北京 太郎")
    factories.SupportRequestFactory.create_batch(3)
    client.force_login(desk_user)
    response = client.get(QUEUE, {"q": "北京"})
    assert [r.pk for r in response.context["cl"].result_list] == [request.pk]


def test_the_migration_fills_the_requests_it_finds():
    requests = factories.SupportRequestFactory.create_batch(3)
    SupportRequest.objects.update(search="")
    migration = importlib.import_module(
        "support_requests.migrations.0009_request_search_column"
    )
    migration.fill_search(apps, None)
    for request in requests:
        request.refresh_from_db()
        assert request.search == request.search_text() != ""


def listed(client, query):
    response = client.get(QUEUE, {"q": query})
    assert response.status_code == 200
    return {r.pk for r in response.context["cl"].result_list}


def test_a_word_with_punctuation_is_found_where_its_parts_come_in_order():
    """A pasted reference finds its request, not every request whose email
    holds its number as well."""
    wanted = factories.SupportRequestFactory(reference="BJ-2026-0042")
    other = factories.SupportRequestFactory(email="kokusai@lg0042.example.jp")
    assert found("BJ-2026-0042") == {wanted.pk}
    assert found("bj-2026-0042") == {wanted.pk}
    assert found("2026-0042") == {wanted.pk}
    assert found("J-2026-00") == {wanted.pk}  # the first and last parts as parts
    assert found("0042") == {wanted.pk, other.pk}
    assert found("2026-0042-BJ") == set()


@pytest.mark.parametrize(
    ("department", "query", "is_found"),
    [
        ("北京2026課", "北京2026", True),
        ("北京2026課", "京2026課", True),
        ("北京2026課", "2026課", True),
        ("北京 2026課", "北京2026", True),  # a space is punctuation too
        ("北京2026課", "北京2027", False),
        ("北京市2026課", "北京2026", False),  # 北京 must end where 2026 starts
        ("国際課jp", "国際課jp", True),
        ("国際課", "国際課jp", False),
    ],
)
def test_a_word_of_several_scripts_is_found_in_order(department, query, is_found):
    request = factories.SupportRequestFactory(department=department)
    assert found(query) == ({request.pk} if is_found else set())


def test_a_place_is_found_with_the_punctuation_around_it(client, desk_user):
    request = factories.SupportRequestFactory()
    city, prefecture = request.government, request.government.prefecture
    factories.SupportRequestFactory.create_batch(2)
    client.force_login(desk_user)
    for query in [
        f"{city.name_ja}、",
        f"「{city.name_zh_hans}」",
        f"{prefecture.name_ja}/{city.name_ja}",
        f"{city.name_ja}・",
    ]:
        assert listed(client, query) == {request.pk}, query


def test_punctuation_alone_in_the_queue_lists_nothing(client, desk_user):
    factories.SupportRequestFactory.create_batch(2)
    client.force_login(desk_user)
    for query in ["@", "、", "%", "-- ;"]:
        assert listed(client, query) == set(), query


def test_a_word_of_many_parts_is_looked_for_by_its_first_ones(client, desk_user):
    """A word's parts are bounded as a search's words are: "a." 1,950 times
    made 1,950 conditions and took 0.3 s to plan."""
    request = factories.SupportRequestFactory(contact_name="a " * 20)
    client.force_login(desk_user)
    with CaptureQueriesContext(connection) as queries:
        assert listed(client, "a." * 1950) == {request.pk}
    assert max(len(q["sql"]) for q in queries.captured_queries) < 5000
