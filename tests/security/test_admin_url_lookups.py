"""The admin takes lookups on a model's own fields from its list's URL
(?field__lookup=value). A regular expression there was a database error (a
500) when it did not compile, and could take the database seconds when it
did: every list refuses them (400), for every user who can open it."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
PATTERNS = ["(", "[", "(.{1,100}){1,100}zz"]


def lists():
    return list(admin.site._registry.values())


def changelist(model_admin):
    opts = model_admin.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


@pytest.mark.parametrize(
    "model_admin", lists(), ids=lambda model_admin: model_admin.model._meta.label_lower
)
@pytest.mark.parametrize("lookup", ["regex", "iregex"])
def test_no_list_takes_a_regular_expression(admin_client, model_admin, lookup):
    # Its text fields, and its key (a number, which the lookup casts to text).
    fields = [model_admin.model._meta.pk.attname] + [
        field.name
        for field in model_admin.model._meta.fields
        if isinstance(field, TEXT_FIELDS)
    ]
    for name in fields:
        for pattern in PATTERNS:
            response = admin_client.get(
                changelist(model_admin), {f"{name}__{lookup}": pattern}
            )
            assert response.status_code == 400, (name, pattern)


@pytest.mark.parametrize(
    "path",
    [
        {"email__regex": "("},
        {"search__iregex": "(.{1,100}){1,100}zz"},
        {"government__name__regex": "["},
        {"email__contains": "a", "department__iregex": "("},
    ],
)
def test_the_desk_cannot_either(client, path):
    desk = factories.UserFactory()
    desk.groups.set(Group.objects.filter(name="support desk"))
    client.force_login(desk)
    factories.SupportRequestFactory()
    url = reverse("admin:support_requests_supportrequest_changelist")
    assert client.get(url, path).status_code == 400
