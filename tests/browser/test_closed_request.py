"""A requester opens the page of a request the office has closed, in
Chromium at phone and desktop width: the page says it is closed and how to reach the
office, and offers no form whose message nobody would read."""

import pytest
from playwright.sync_api import expect

from support_requests.services import support_request_change_status
from tests.factories import SupportRequestFactory, UserFactory

from .conftest import DESKTOP, PHONE
from .test_site import translated


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=lambda v: v.name)
@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_a_closed_requests_page_says_how_to_reach_the_office(
    open_visitor, language, viewport
):
    support_request = SupportRequestFactory(language=language)
    support_request_change_status(
        request=support_request, status="completed", user=UserFactory()
    )
    visitor = open_visitor(viewport)
    visitor.visit(f"/{language}/support/track/{support_request.token}/")
    notice = visitor.page.locator(
        "p.notice", has_text=translated(language, "Send a new request")
    )
    expect(notice).to_be_visible()
    expect(visitor.page.locator("#request-form")).to_have_count(0)
    visitor.screenshot_as("closed-request", language)
    assert not visitor.has_horizontal_scroll()
    visitor.follow(notice.get_by_role("link"))
    assert visitor.page.url.endswith(f"/{language}/support/request/")
