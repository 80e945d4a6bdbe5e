"""The Content-Security-Policy refuses inline scripts and styles: no page of the
portal, public or admin, may need one. Chromium reports every refusal on the
console; these tests visit the pages and fail on any.

The admin pages come from third-party apps too (modeltranslation's tabs,
import-export, simple-history): every registered model's list, add, change,
history and export page is visited, signed in as a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from seminars.models import Seminar

from .conftest import sign_in

PUBLIC_PATHS = [
    f"/{language}/{path}"
    for language in ("ja", "zh-hans")
    for path in (
        "",
        "seminars/",
        "seminars/17/",
        "support/",
        "support/request/",
        "jet/",
        "exchange/",
        "experts/",
        "experts/request/",
        "office/",
        "brochure/2019/",
    )
]


class CspWatcher:
    """A signed-out or signed-in page that keeps the CSP refusals it saw."""

    def __init__(self, context):
        self.page = context.new_page()
        self.current = None
        self.refusals = []
        self.page.on("console", self.record)

    def record(self, message):
        if "Content Security Policy" in message.text:
            self.refusals.append(f"{self.current}: {message.text[:240]}")

    def visit(self, path):
        self.current = path
        response = self.page.goto(path, wait_until="load")
        assert response is not None and response.status == 200, (
            f"{path} answered {response and response.status}"
        )
        return response


@pytest.fixture
def watcher(browser, site_url):
    context = browser.new_context(
        base_url=site_url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    yield CspWatcher(context)
    context.close()


@pytest.fixture
def signed_in(watcher, admin_user):
    watcher.visit(reverse("admin:login"))
    sign_in(watcher.page, admin_user.username, "password")
    assert watcher.page.url.endswith(reverse("admin:index"))
    return watcher


def admin_paths(model, model_admin, request):
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    paths = [reverse(f"{name}_changelist")]
    if model_admin.has_add_permission(request):
        paths.append(reverse(f"{name}_add"))
    record = model._default_manager.order_by("pk").first()
    if record is not None:
        paths.append(reverse(f"{name}_change", args=[record.pk]))
        paths.append(reverse(f"{name}_history", args=[record.pk]))
    if getattr(model_admin, "has_export_permission", lambda request: False)(request):
        paths.append(reverse(f"{name}_export"))
    return paths


def test_public_pages_need_nothing_inline(watcher):
    for path in PUBLIC_PATHS:
        watcher.visit(path)
    assert watcher.refusals == []


def test_admin_pages_need_nothing_inline(signed_in, admin_user, rf):
    request = rf.get("/")
    request.user = admin_user
    # A history with an edit in it: simple-history's table and its diff.
    seminar = Seminar.objects.order_by("pk").first()
    seminar.staff_note_ja = f"{seminar.staff_note_ja}（確認）"
    seminar.save()
    for model, model_admin in admin.site._registry.items():
        for path in admin_paths(model, model_admin, request):
            signed_in.visit(path)
    signed_in.visit(reverse("admin-missing-translations"))
    assert signed_in.refusals == []


def test_the_export_forms_select_all_works_without_inline_script(signed_in):
    signed_in.visit(reverse("admin:seminars_seminar_export"))
    page = signed_in.page
    boxes = page.locator(".selectable-field-export-row input[type=checkbox]:visible")
    assert boxes.count() > 1
    page.locator(".select-toggle:visible").first.uncheck()
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.locator(".select-toggle:visible").first.check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert signed_in.refusals == []
