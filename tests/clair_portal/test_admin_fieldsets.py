"""The admin's fieldsets, written by a tag: the same markup as Django's
admin/includes/fieldset.html on every change page, with and without errors."""

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.contrib import admin
from django.template import Context, Engine
from django.urls import reverse
from django.utils import translation

from clair_portal.foundation.templatetags.admin_fieldsets import admin_fieldset

pytestmark = pytest.mark.django_db

DJANGOS_FIELDSET = (
    Path(django.contrib.admin.__file__).parent
    / "templates/admin/includes/fieldset.html"
)


def normalized(html: str) -> str:
    """The markup without the whitespace between and around tags, which the
    template has for legibility and a browser ignores there."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


def fieldset_contexts(response):
    """Each fieldset of a change page with what its includes give it: the
    record's own (change_form.html) and each stacked inline form's."""
    for index, fieldset in enumerate(response.context["adminform"]):
        yield {
            "fieldset": fieldset,
            "prefix": "fieldset",
            "id_prefix": 0,
            "id_suffix": index,
            "heading_level": 2,
        }
    for counter, inline in enumerate(response.context["inline_admin_formsets"]):
        for inline_form in inline:
            for index, fieldset in enumerate(inline_form):
                yield {
                    "fieldset": fieldset,
                    "prefix": fieldset.formset.prefix,
                    "id_prefix": counter,
                    "id_suffix": index,
                    "heading_level": 4,
                }


def assert_as_django_writes_them(response):
    djangos = Engine.get_default().from_string(DJANGOS_FIELDSET.read_text())
    contexts = list(fieldset_contexts(response))
    assert contexts
    for context in contexts:
        expected = djangos.render(Context(context))
        assert normalized(admin_fieldset(Context(context))) == normalized(expected)


def change_pages() -> list:
    return [
        pytest.param(model, id=model._meta.label_lower)
        for model in admin.site._registry
        if model._meta.app_label not in ("auth", "procrastinate")
    ]


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
@pytest.mark.parametrize("model", change_pages())
def test_every_change_page_has_djangos_fieldsets(admin_client, model, language):
    record = model._default_manager.order_by("pk").first()
    opts = model._meta
    if record is None:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    else:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]
        )
    admin_client.cookies["django_language"] = language
    with translation.override(language):
        response = admin_client.get(url)
        if record is None and response.status_code == 403:
            # No record yet, and nobody adds one by hand (mail, translation
            # states): no page with fieldsets.
            assert not admin.site._registry[model].has_add_permission(
                response.wsgi_request
            )
            return
        assert response.status_code == 200
        assert_as_django_writes_them(response)


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_a_support_requests_page_has_djangos_fieldsets(admin_client, language):
    """Read-only fields, an expert request's fields, the desk's own page."""
    from tests import factories

    for support_request in (
        factories.SupportRequestFactory(contact_name="<b>王</b>"),
        factories.SupportRequestFactory(),
    ):
        url = reverse(
            "admin:support_requests_supportrequest_change", args=[support_request.pk]
        )
        admin_client.cookies["django_language"] = language
        with translation.override(language):
            response = admin_client.get(url)
            assert response.status_code == 200
            assert_as_django_writes_them(response)


def test_a_checkbox_row_has_djangos_fieldset(admin_client):
    from support_requests.models import UnsortedMail

    mail = UnsortedMail.objects.create(
        message_id="<x@example.jp>",
        sender='"<b>" <x@example.jp>',
        recipient="reply@example.jp",
        subject="件名",
        body="本文",
        reason=UnsortedMail.Reason.choices[0][0],
    )
    url = reverse("admin:support_requests_unsortedmail_change", args=[mail.pk])
    response = admin_client.get(url)
    assert "checkbox-row" in response.text
    assert_as_django_writes_them(response)


def test_a_page_with_errors_has_djangos_fieldsets(admin_client):
    """Errors on one field of a line and on a line of several (the two
    languages side by side)."""
    url = reverse("admin:seminars_seminar_add")
    response = admin_client.post(
        url, {"edition": "x", "theme_ja": "<b>", "fiscal_year": "", "_save": "1"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    with translation.override("ja"):
        assert_as_django_writes_them(response)


def test_the_change_pages_use_the_tag(admin_client):
    response = admin_client.get(reverse("admin:seminars_seminar_change", args=[1]))
    fieldsets = [
        t for t in response.templates if t.name == "admin/includes/fieldset.html"
    ]
    assert fieldsets
    assert all("{% admin_fieldset" in template.source for template in fieldsets)
