"""The admin's facet counts (?_facets=True, the "show counts" link) count
each choice of each filter: on the support queue at scale 100 that was 42 to
221 queries and 0.9 to 7 s, and a 500 from the region filters. The bounded
lists (BoundedChangeListMixin: the queue, the programs, the office's texts,
the outbox) offer none, whatever the URL asks."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clair_portal.foundation.admin import BoundedChangeListMixin
from support_requests.admin import PrefectureFilter
from support_requests.models import SupportRequest
from tests import factories

pytestmark = pytest.mark.django_db


def bounded_lists():
    return [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, BoundedChangeListMixin)
    ]


def changelist(model_admin):
    opts = model_admin.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def queries_of(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response, len(queries)


@pytest.mark.parametrize(
    "model_admin",
    bounded_lists(),
    ids=lambda model_admin: model_admin.model._meta.label_lower,
)
def test_a_bounded_list_counts_no_facets(admin_client, model_admin):
    url = changelist(model_admin)
    admin_client.get(url)  # the first request's own queries (session, caches)
    plain, plain_queries = queries_of(admin_client, url, {})
    faceted, faceted_queries = queries_of(admin_client, url, {"_facets": "True"})
    assert faceted.status_code == 200
    assert faceted_queries == plain_queries
    # No counts, and no "show counts" link.
    assert not faceted.context["cl"].add_facets
    assert not faceted.context["cl"].is_facets_optional


def test_the_queue_with_facets_asked_for_as_the_desk(client):
    desk = factories.UserFactory()
    desk.groups.set(Group.objects.filter(name="support desk"))
    client.force_login(desk)
    request = factories.SupportRequestFactory()
    url = reverse("admin:support_requests_supportrequest_changelist")
    response = client.get(url, {"_facets": "True", "q": request.reference})
    assert response.status_code == 200
    assert request.reference in response.content.decode()


def test_a_region_filter_takes_a_region_key_as_a_number(rf):
    # What Django's facets hand a filter: each choice's key, an int.
    government = factories.SupportRequestFactory().government
    prefecture = government.prefecture or government
    model_admin = admin.site._registry[SupportRequest]
    region = PrefectureFilter(
        rf.get("/"), {"prefecture": [str(prefecture.pk)]}, SupportRequest, model_admin
    )
    region.used_parameters["prefecture"] = prefecture.pk
    assert region.queryset(None, SupportRequest.objects.all()).count() == 1
