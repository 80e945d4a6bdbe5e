"""The support queue on a phone (390 px), in Chromium: each choice of the
action bar has a line of its own and room to read and tap (side by side,
Django's narrow layout left the desk member's list 13 px wide and the
status's 6 px), and a desk member assigns a request with it."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.factories import SupportRequestFactory, UserFactory

from .conftest import PHONE, sign_in
from .queue_actions import assign_from_queue

PASSWORD = "desk-password"
# Wide enough for a name or a status, and a finger (WCAG 2.5.5's 44 px).
MIN_WIDTH = 150
MIN_HEIGHT = 44


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_the_desk_assigns_from_the_queue_on_a_phone(open_visitor, language):
    member = UserFactory(username="hanako", password=PASSWORD)
    member.groups.set(Group.objects.filter(name="support desk"))
    support_request = SupportRequestFactory()

    desk = open_visitor(PHONE)
    page = desk.page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": desk.origin}]
    )
    desk.visit("/admin/login/")
    sign_in(page, "hanako", PASSWORD)
    desk.assert_nothing_failed()
    desk.visit("/admin/support_requests/supportrequest/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    desk.screenshot_as("desk", f"queue-{language}")

    for name in ("action", "assignee", "status"):
        box = page.locator(f"#changelist .actions select[name={name}]").bounding_box()
        assert box["width"] >= MIN_WIDTH, (name, box)
        assert box["height"] >= MIN_HEIGHT, (name, box)
        assert box["x"] + box["width"] <= PHONE.width, (name, box)

    row = page.locator("#result_list tbody tr", has_text=support_request.reference)
    assign_from_queue(desk, row, support_request, member)
