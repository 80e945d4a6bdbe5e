"""A record's history in Chromium: on a phone each change is a block of
labelled lines (the seven columns left one word per line at 390 px, a
reviewer's screenshot), on a desktop the table; in both admin languages."""

import pytest
from django.contrib.auth.models import Permission

from support_requests.models import SupportRequest
from support_requests.services import (
    support_request_change_status,
    support_request_correct,
)
from tests.factories import SupportRequestFactory, UserFactory

from .conftest import DESKTOP, PHONE, sign_in

PASSWORD = "desk-password"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=lambda v: v.name)
@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_a_requests_history_reads_on_a_phone_and_a_desktop(
    open_visitor, viewport, language
):
    member = UserFactory(
        username="hanako", first_name="花子", last_name="北京", password=PASSWORD
    )
    # Given directly: a transactional test before may have flushed the groups.
    member.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="support_requests",
            codename__in=["view_supportrequest", "change_supportrequest"],
        )
    )
    support_request = SupportRequestFactory(email="wrong@example.jp")
    support_request_change_status(
        request=support_request, status=SupportRequest.Status.ARRANGING, user=member
    )
    support_request_correct(
        request=support_request, user=member, changes={"email": "right@example.jp"}
    )
    desk = open_visitor(viewport)
    page = desk.page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": desk.origin}]
    )
    desk.visit("/admin/login/")
    sign_in(page, "hanako", PASSWORD)
    desk.visit(f"/admin/support_requests/supportrequest/{support_request.pk}/history/")
    desk.screenshot_as("history", f"request-history-{language}")
    assert not desk.has_horizontal_scroll()
    rows = page.locator("#change-history tbody tr")
    assert rows.count() == 3
    date = rows.first.locator("td").nth(1)
    label_shown = date.evaluate("td => getComputedStyle(td, '::before').content")
    if viewport is PHONE:
        # A line per cell, its label before it; the date on one line.
        assert page.locator("#change-history thead").is_hidden()
        assert label_shown not in ("none", "normal", '""')
        assert date.bounding_box()["height"] < 2 * 24
    else:
        assert page.locator("#change-history thead").is_visible()
        assert label_shown in ("none", "normal")
    assert "right@example.jp" in rows.first.inner_text()
