"""Every admin list and change page answers with queries that do not grow with
the data.

Each registered model's list, and the change page of its first record, is
requested by a superuser at small data (the brochures and generate_load_data
--scale 1, so that every list has rows) and again after generate_load_data
--scale SCALE; the two counts must be equal. The data is generated once for the
module, inside a transaction that is rolled back.

The photo list reads each kind of subject on its page in a query of its own
(GenericPrefetch), at most one per model that has photos: its counts are
compared less that number.
"""

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clair_portal.features.load_data import generate_load_data
from clair_portal.foundation.models import Photo
from tests import factories

pytestmark = pytest.mark.django_db

SCALE = 20
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
# A search in the queue, the page the desk uses most.
SEARCHES = {"support_requests.SupportRequest": ["北京", "担当者"]}


def pages():
    """(key, URL) of every list, search and first record's page."""
    for model in REGISTERED:
        label = model._meta.label
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        yield f"{label} list", changelist
        for word in SEARCHES.get(label, []):
            yield f"{label} search {word}", f"{changelist}?q={word}"
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            change = reverse("admin:{}_{}_change".format(*info), args=[first.pk])
            yield f"{label} page", change


def kinds_of_subject(response):
    """How many kinds of subject the photo list's page shows (0 elsewhere)."""
    changelist = response.context.get("cl") if response.context else None
    if changelist is None or changelist.model is not Photo:
        return 0
    return len({photo.content_type_id for photo in changelist.result_list})


def measure(client):
    """{key: (URL, query count less the photo list's kinds of subject,
    status, SQL)}, each page asked once to warm up."""
    counts = {}
    for key, url in pages():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        count = len(queries) - kinds_of_subject(response)
        counts[key] = (url, count, response.status_code, [q["sql"] for q in queries])
    return counts


@pytest.fixture(scope="module")
def measures(django_db_setup, django_db_blocker):
    """{key: (at small data, at SCALE times more)}, rolled back after."""
    client = Client()
    with django_db_blocker.unblock(), transaction.atomic():
        client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
        generate_load_data(scale=1)
        small = measure(client)
        generate_load_data(scale=SCALE)
        large = measure(client)
        transaction.set_rollback(True)
    print(f"\nQueries per admin page at small data and {SCALE}x more:")
    for key in small:
        print(f"  {key:<60} {small[key][1]:>4} {large.get(key, ('', '-'))[1]:>4}")
    return {key: (small[key], large.get(key)) for key in small}


def test_every_admin_page_answers(measures):
    failing = {
        key: status for key, ((_, _, status, _), _) in measures.items() if status != 200
    }
    assert not failing


def test_admin_queries_do_not_grow_with_the_data(measures):
    grown = {}
    for key, (small, large) in measures.items():
        if large is not None and small[1] != large[1]:
            grown[key] = (small[1], large[1], small[3], large[3])
    details = "\n".join(
        f"{key}: {a} -> {b}\n  small:\n    "
        + "\n    ".join(sql[:200] for sql in a_sql)
        + "\n  large:\n    "
        + "\n    ".join(sql[:200] for sql in b_sql)
        for key, (a, b, a_sql, b_sql) in grown.items()
    )
    assert not grown, details
