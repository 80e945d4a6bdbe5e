"""Stored XSS: markup written into every text field of every record comes back
escaped on every page that shows it (public pages in both languages, the
requester's tracking page, the admin's lists and change pages).

Every text column of every row of the project's tables is overwritten with
the payload (in a savepoint per column, so that a column whose constraints
refuse it keeps its value), then every page is read.
"""

import pytest
from django.contrib import admin
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import CharField, TextField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from clair_portal.foundation.local_apps import local_app_labels, local_models
from support_requests.models import SupportRequest
from tests import factories

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>xss()</script>"
RAW = "<script>xss()"
PUBLIC_PATHS = [
    "/{lang}/",
    "/{lang}/office/",
    "/{lang}/sitemap/",
    "/{lang}/seminars/",
    "/{lang}/seminars/17/",
    "/{lang}/seminars/18/",
    "/{lang}/support/",
    "/{lang}/support/request/",
    "/{lang}/jet/",
    "/{lang}/exchange/",
    "/{lang}/experts/",
    "/{lang}/experts/request/",
    "/{lang}/brochure/2019/",
    "/{lang}/brochure/2022/",
    "/{lang}/brochure/2018/",
]


def text_fields(model):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, CharField | TextField)
            and not field.choices
            and not field.primary_key
            # The tracking token is made by the portal, never typed.
            and field.name != "token"
            and (field.max_length is None or field.max_length >= len(PAYLOAD) + 12)
        ):
            yield field


def poison_every_text_column():
    """Returns how many columns took the payload."""
    poisoned = 0
    for model in local_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in text_fields(model):
            # The row's id keeps unique columns unique.
            value = Concat(Value(PAYLOAD), Cast("pk", output_field=models.TextField()))
            try:
                with transaction.atomic():
                    model._base_manager.update(**{field.attname: value})
                poisoned += 1
            except (IntegrityError, DataError):
                pass
    return poisoned


@pytest.fixture
def poisoned():
    factories.SupportRequestFactory()
    count = poison_every_text_column()
    assert count > 100  # every translated text of every program, both languages
    return count


def assert_escaped(response, where):
    assert response.status_code == 200, (where, response.status_code)
    body = response.content.decode()
    assert RAW not in body, f"unescaped markup in {where}"


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_public_pages_escape_every_field(client, poisoned, language):
    for path in PUBLIC_PATHS:
        path = path.format(lang=language)
        response = client.get(path)
        assert_escaped(response, path)
    # The payload is shown, as text, where the office's texts are.
    assert (
        "&lt;script&gt;xss()" in client.get(f"/{language}/seminars/").content.decode()
    )


def test_the_tracking_page_escapes_the_requesters_and_the_offices_text(
    client, poisoned
):
    support_request = SupportRequest.objects.get()
    response = client.get(support_request.tracking_path())
    assert_escaped(response, "tracking page")
    assert "&lt;script&gt;xss()" in response.content.decode()


def test_admin_pages_escape_every_field(client, poisoned):
    client.force_login(factories.UserFactory(is_superuser=True))
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label not in local_app_labels():
            continue
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert_escaped(client.get(changelist), changelist)
        first = model._base_manager.order_by("pk").first()
        if first is not None:
            change = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]
            )
            assert_escaped(client.get(change), change)
