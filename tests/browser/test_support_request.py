"""A Japanese local government applies for activity support in Chromium, then
follows its request while the office works on it."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from support_requests.models import RequestKind, SupportRequest
from support_requests.services import (
    support_request_change_status,
    support_request_post_message,
)
from tests.factories import UserFactory
from tests.support_requests.helpers import PDF, in_days, private_storage_at

from .test_accessibility import AXE_OPTIONS, AXE_SCRIPT, describe

REFERENCE = re.compile(r"^BJ-\d{4}-\d{4}$")


@pytest.fixture
def private_media(settings, tmp_path, site_url):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with private_storage_at(tmp_path / "private") as path:
        yield path


def load_axe(page):
    """axe-core in every page the test opens. An init script is not subject to
    the Content-Security-Policy, which refuses inline scripts."""
    page.context.add_init_script(path=str(AXE_SCRIPT))


def assert_accessible(visitor, name):
    """No axe violation of any impact (WCAG 2.0-2.2 A and AA, best practices)
    on the open page, and no sideways scrolling at phone width."""
    visitor.screenshot_as("support-request", name)
    results = visitor.page.evaluate(
        "options => axe.run(document, options)", AXE_OPTIONS
    )
    problems = [describe(violation) for violation in results["violations"]]
    if visitor.viewport.is_mobile and visitor.has_horizontal_scroll():
        problems.append("[serious] reflow: the page scrolls sideways")
    assert not problems, "\n".join(problems)


def label(language, choice):
    with translation.override(language):
        return str(choice.label)


def test_apply_for_activity_support_and_follow_the_request(
    visitor, page, private_media
):
    load_axe(page)
    visitor.visit("/ja/support/request/")
    assert_accessible(visitor, "form")
    form = page.locator("#request-form")

    # Sent empty, the form comes back with its errors summed up and focused.
    visitor.follow(form.locator('button[type="submit"]'))
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator("#id_kind_error")).to_be_visible()
    expect(page.locator("#id_government")).to_have_attribute("aria-invalid", "true")
    assert_accessible(visitor, "form-with-errors")

    page.get_by_label(label("ja", RequestKind.ACTIVITY_SUPPORT), exact=True).check()
    # Only the chosen kind's part of the form is shown.
    expect(page.locator("#id_purpose")).to_be_visible()
    expect(page.locator("#id_research_subject")).to_be_hidden()

    # Typing part of the name suggests the governments of that name.
    page.locator("#id_government").press_sequentially("高山", delay=60)
    suggestions = page.get_by_role("listbox")
    expect(suggestions.get_by_role("option")).to_have_count(3)
    assert_accessible(visitor, "form-with-suggestions")
    suggestions.get_by_role("option", name=re.compile("^岐阜県高山市")).click()
    expect(page.locator("#id_government")).to_have_value("岐阜県高山市")
    page.fill("#id_department", "海外戦略課")
    page.fill("#id_contact_name", "飛騨太郎")
    page.fill("#id_email", "hida@example.jp")
    page.fill("#id_phone", "0577-32-3333")
    page.fill("#id_purpose", "観光プロモーションのため旅行会社を訪問します。")
    page.fill("#id_stay_start", in_days(30))
    page.fill("#id_stay_end", in_days(33))
    page.fill("#id_destinations", "北京市")
    page.fill("#id_delegation_leader", "市長")
    page.fill("#id_delegation_size", "4")
    page.locator("#id_services_1").check()
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "計画書.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.locator("#id_consent").check()
    expect(page.locator("#id_website")).not_to_be_in_viewport()  # the honeypot
    visitor.follow(form.locator('button[type="submit"]'))

    support_request = SupportRequest.objects.get()
    assert support_request.government.code == "21203"
    assert support_request.attachments.get().original_name == "計画書.pdf"
    expect(page).to_have_url(re.compile(rf"/ja/support/track/{support_request.token}/"))
    expect(page.locator(".notice .reference")).to_have_text(REFERENCE)
    expect(page.locator(".notice .reference")).to_have_text(support_request.reference)
    assert_accessible(visitor, "confirmation")

    tracking_link = page.locator("a.tracking-link")
    assert tracking_link.get_attribute("href").endswith(
        f"/ja/support/track/{support_request.token}/"
    )
    visitor.follow(tracking_link)
    expect(page.locator(".notice")).to_have_count(0)
    current = page.locator('.timeline [aria-current="step"]')
    expect(current).to_contain_text(label("ja", SupportRequest.Status.RECEIVED))

    # The office moves the request on and writes to the requester.
    staff = UserFactory()
    support_request_change_status(
        request=support_request, status=SupportRequest.Status.ARRANGING, user=staff
    )
    support_request_post_message(
        request=support_request, body="訪問先の候補をお送りします。", user=staff
    )
    support_request_post_message(
        request=support_request, body="内部メモ：予算確認中", user=staff, internal=True
    )
    page.reload()
    expect(current).to_contain_text(label("ja", SupportRequest.Status.ARRANGING))
    expect(page.locator(".request-messages")).to_contain_text(
        "訪問先の候補をお送りします。"
    )
    expect(page.locator("body")).not_to_contain_text("内部メモ")
    assert_accessible(visitor, "tracking-page")

    download = page.get_by_role("link", name="計画書.pdf")
    response = page.request.get(download.get_attribute("href"))
    assert response.status == 200
    assert response.body() == PDF
    assert response.headers["content-disposition"].startswith("attachment;")


def test_expert_request_form_in_chinese(visitor, page, private_media):
    """The expert form with its errors, then sent: the government found by
    part of its name."""
    load_axe(page)
    visitor.visit("/zh-hans/experts/request/")
    form = page.locator("#request-form")
    visitor.follow(form.locator('button[type="submit"]'))
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert_accessible(visitor, "expert-form-with-errors")

    page.locator("#id_government").press_sequentially("开封", delay=60)
    page.get_by_role("option", name=re.compile("^河南省开封市")).click()
    page.fill("#id_department", "农业农村局")
    page.fill("#id_contact_name", "王明")
    page.fill("#id_email", "wang@example.cn")
    page.fill("#id_phone", "+86 371 2222 3333")
    page.select_option("#id_expert_field", label="农业")
    page.fill("#id_expert_subject", "有机农业技术")
    page.fill("#id_wished_start", in_days(60))
    page.fill("#id_wished_end", in_days(66))
    page.fill("#id_purpose", "希望日本专家指导有机农业。")
    page.locator("#id_consent").check()
    visitor.follow(form.locator('button[type="submit"]'))

    support_request = SupportRequest.objects.get()
    assert support_request.kind == RequestKind.EXPERT_DISPATCH
    assert support_request.language == "zh-hans"
    assert support_request.chinese_government.code == "410200"
    expect(page.locator(".notice .reference")).to_have_text(support_request.reference)
    assert_accessible(visitor, "expert-confirmation")
