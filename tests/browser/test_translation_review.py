"""An editor changes one language of a seminar's theme in the admin, finds the
other marked "to review" beside its field and above the form, and confirms
it, in Chromium."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from clair_portal.foundation.models import TranslationState
from seminars.models import Seminar
from tests import factories

from .conftest import sign_in


def test_an_editor_confirms_a_stale_translation_on_the_records_page(
    open_visitor, desktop
):
    editor = factories.UserFactory()
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label="seminars")
    )
    seminar = Seminar.objects.get(edition=17)
    visitor = open_visitor(desktop)
    page = visitor.page
    refusals = []
    page.on(
        "console",
        lambda message: (
            refusals.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    visitor.visit(reverse("admin:login"))
    sign_in(page, editor.username, "staff-password")

    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    visitor.visit(url)
    assert page.locator("#translation-review").count() == 0
    page.fill("#id_theme_ja", f"{seminar.theme_ja}（改訂）")
    visitor.follow(page.locator("input[name=_continue]"))

    # Above the form: both texts side by side, the Chinese one marked.
    box = page.locator("#translation-review")
    assert box.is_visible()
    assert f"{seminar.theme_ja}（改訂）" in box.inner_text()
    assert seminar.theme_zh_hans in box.inner_text()
    assert (
        box.locator(".translation-review-stale .translation-review-mark").count() == 1
    )
    # Beside the Chinese field (in its tab), the mark and the button too.
    beside = page.locator(".field-theme_zh_hans .translation-review-mark")
    assert beside.count() == 1
    assert page.locator(".field-theme_ja .translation-review-mark").count() == 0
    visitor.screenshot_as("translation-review", "to-review")

    # Pressing Enter in a field saves the record; it confirms nothing.
    page.locator("#id_theme_ja").press("Enter")
    page.wait_for_load_state("load")
    assert TranslationState.objects.to_review().count() == 1

    # The list of translations to review has it, with a link to the seminar.
    visitor.visit(reverse("admin:clair_portal_translationstate_changelist"))
    assert page.locator("#result_list tbody tr").count() == 1
    assert page.locator(f'#result_list a[href="{url}"]').count() == 1
    visitor.screenshot_as("translation-review", "list")

    visitor.visit(url)
    visitor.follow(
        page.locator("#translation-review button.translation-review-confirm")
    )
    assert page.url.endswith(url)
    assert page.locator("#translation-review").count() == 0
    assert page.locator(".translation-review-mark").count() == 0
    assert page.locator(".messagelist .success").count() == 1
    stale = TranslationState.objects.get(field="theme", language="zh-hans")
    assert not stale.needs_review
    assert stale.reviewed_by == editor
    assert refusals == []


def lines_of(locator):
    """How many lines the element's text takes."""
    return locator.evaluate(
        """element => {
            const range = document.createRange();
            range.selectNodeContents(element);
            const tops = [...range.getClientRects()].map(box => Math.round(box.top));
            return new Set(tops).size;
        }"""
    )


def test_the_review_table_reads_on_a_phone_and_beside_the_sidebar(open_visitor):
    """At 390 px the table was 483 px wide, its field column a character per
    line; at 1280 px beside the sidebar the field and the button wrapped so
    too (a reviewer's run)."""
    from .conftest import DESKTOP, PHONE

    editor = factories.UserFactory()
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label="seminars")
    )
    seminar = Seminar.objects.get(edition=17)
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    desk = open_visitor(DESKTOP)
    desk.visit(reverse("admin:login"))
    sign_in(desk.page, editor.username, "staff-password")
    desk.visit(url)
    desk.page.fill("#id_theme_ja", f"{seminar.theme_ja}（改訂）")
    desk.follow(desk.page.locator("input[name=_continue]"))
    box = desk.page.locator("#translation-review")
    field = box.locator("tbody th").first
    button = box.locator("button.translation-review-confirm").first
    desk.screenshot_as("translation-review", "record-desktop")
    assert lines_of(field) == 1 and lines_of(button) == 1

    phone = open_visitor(PHONE)
    phone.visit(reverse("admin:login"))
    sign_in(phone.page, editor.username, "staff-password")
    phone.visit(url)
    assert not phone.has_horizontal_scroll()
    box = phone.page.locator("#translation-review")
    assert box.locator("thead").is_hidden()
    why = box.locator("td[data-label]").last
    assert why.evaluate("td => getComputedStyle(td, '::before').content") not in (
        "none",
        "normal",
    )
    phone.screenshot_as("translation-review", "record-phone")
