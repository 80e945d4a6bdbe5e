"""The queue's search column: kept with the searched columns on every path
that writes them, folded as the queue folds a search, and filled by the
migration for the requests that existed before it."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
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
    [("ＷＡＮＧ", "wang"), ("Wang", "WANG"), ("ﾜﾝ", "ワン"), ("１２３", "123")],
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
