"""Steps a desk member takes in the support queue, shared by the journeys."""

from playwright.sync_api import expect


def assign_from_queue(desk, row, support_request, member):
    """Ticks the request's `row` in the queue, assigns it to `member` with the
    action bar, and checks that the queue said so and the request has him."""
    page = desk.page
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", value="assign")
    page.select_option("select[name=assignee]", value=str(member.pk))
    desk.follow(page.locator("button[name=index]"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    support_request.refresh_from_db()
    assert support_request.assignee == member
