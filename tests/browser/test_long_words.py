"""What people type may be one long run (a pasted URL, a 255-character file
name), and a phone's browser may run no JavaScript: the pages still fit the
screen, in Chromium (found by a reviewer, not by the seeded data)."""

import pytest
from django.contrib.auth.models import Permission

from support_requests.services import support_request_post_message
from tests.factories import NewsItemFactory, SupportRequestFactory, UserFactory
from tests.support_requests.helpers import PDF, private_storage_at, upload

from .conftest import DESKTOP, PHONE, sign_in

LANGUAGES = ["ja", "zh-hans"]
PASTED_URL = "https://example.com/" + "a" * 300
PASSWORD = "desk-password"


def page_width(visitor):
    return visitor.page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_tracking_page_with_a_pasted_url_fits_a_phone(open_visitor, language):
    """The facts list's second column was as wide as its longest word: 2,880 px."""
    support_request = SupportRequestFactory(
        language=language, purpose=PASTED_URL, department="国際課" + "x" * 90
    )
    visitor = open_visitor(PHONE)
    visitor.visit(f"/{language}/support/track/{support_request.token}/")
    visitor.screenshot_as("long-words", f"track-{language}")
    assert page_width(visitor) <= PHONE.width


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_news_title_with_a_long_url_fits_a_phone(open_visitor, language):
    """The title wraps; the breadcrumb's last item did not (752 px)."""
    title = "お知らせhttps://www.example.com/" + "segment" * 23
    item = NewsItemFactory(title_ja=title, title_zh_hans=title)
    visitor = open_visitor(PHONE)
    visitor.visit(f"/{language}/news/{item.pk}/")
    visitor.screenshot_as("long-words", f"news-{language}")
    assert page_width(visitor) <= PHONE.width


@pytest.mark.parametrize(
    "path", ["/ja/seminars/", "/ja/jet/", "/zh-hans/exchange/", "/zh-hans/support/"]
)
def test_without_javascript_a_table_scrolls_in_its_box_not_the_page(
    browser, site_url, path
):
    """The phone layout let tables overflow for the cards site.js makes; with
    no script the table stayed a table, and the page scrolled sideways."""
    context = browser.new_context(
        base_url=site_url, java_script_enabled=False, **PHONE.context_options()
    )
    try:
        page = context.new_page()
        assert page.goto(path).status == 200
        assert page.locator(".table--cards").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE.width
        widths = page.eval_on_selector_all(
            ".table-wrap",
            "boxes => boxes.map(box => [box.scrollWidth, box.clientWidth])",
        )
        assert any(scroll > client for scroll, client in widths), widths
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(output_path(f"no-js-{name}.png")), full_page=True)
    finally:
        context.close()


def output_path(name):
    from .conftest import OUTPUT_DIR

    path = OUTPUT_DIR / "browser" / PHONE.name / "long-words" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=lambda v: v.name)
def test_the_desks_page_keeps_a_long_file_name_in_the_thread(
    open_visitor, tmp_path, viewport
):
    """A 255-character name ran across the status column: 2,404 px at 1280."""
    member = UserFactory(username="hanako", password=PASSWORD)
    # Given directly: a transactional test before may have flushed the groups.
    member.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="support_requests",
            codename__in=[
                "view_supportrequest",
                "change_supportrequest",
                "view_requestmessage",
                "view_requestattachment",
                "view_statuschange",
            ],
        )
    )
    support_request = SupportRequestFactory()
    with private_storage_at(tmp_path / "private"):
        support_request_post_message(
            request=support_request,
            body=PASTED_URL,
            attachments=[upload("A" * 251 + ".pdf", PDF)],
        )
    desk = open_visitor(viewport)
    desk.visit("/admin/login/")
    sign_in(desk.page, "hanako", PASSWORD)
    desk.visit(f"/admin/support_requests/supportrequest/{support_request.pk}/change/")
    desk.screenshot_as("long-words", "desk-request")
    assert page_width(desk) <= viewport.width


def test_a_long_word_in_a_table_card_fits_a_phone(open_visitor):
    """A table's cell is a card's row on a phone: its second column was as
    wide as the cell's longest word (a URL in a news table: 2,470 px)."""
    url = "https://www.example.com/" + "segment/" * 30
    item = NewsItemFactory(
        body_ja=f"| 項目 | リンク |\n|---|---|\n| 資料 | {url} |\n",
        body_zh_hans=f"| 项目 | 链接 |\n|---|---|\n| 资料 | {url} |\n",
    )
    visitor = open_visitor(PHONE)
    visitor.visit(f"/ja/news/{item.pk}/")
    visitor.screenshot_as("long-words", "news-table-card")
    assert page_width(visitor) <= PHONE.width
