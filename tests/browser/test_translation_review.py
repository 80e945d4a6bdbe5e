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
