"""The admin as editors and the desk use it, in Chromium: axe-core on their
pages finds no serious or critical violation (WCAG 2.1 A and AA), and date
widgets work in Beijing time without a time zone warning."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from seminars.models import Seminar
from tests.factories import PhotoFactory, SeminarFactory, UserFactory

from .conftest import DESKTOP, OUTPUT_DIR, PHONE, sign_in
from .test_accessibility import AXE_OPTIONS, AXE_SCRIPT, describe

# The admin is held to no serious or critical violation (issue 16); the
# public pages to none at all (test_accessibility).
FAILING_IMPACTS = {"serious", "critical"}

PASSWORD = "editor-password"


@pytest.fixture
def editor_tab(browser, site_url):
    editor = UserFactory(username="editor", password=PASSWORD)
    editor.groups.set(Group.objects.filter(name="editors"))
    # A staff member in Tokyo: the browser is an hour ahead of Beijing.
    context = browser.new_context(
        base_url=site_url, timezone_id="Asia/Tokyo", **DESKTOP.context_options()
    )
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(AXE_SCRIPT))
    tab = context.new_page()
    tab.goto("/admin/login/")
    sign_in(tab, "editor", PASSWORD)
    yield tab
    context.close()


def axe_problems(tab):
    results = tab.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        describe(v) for v in results["violations"] if v["impact"] in FAILING_IMPACTS
    ]


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_editors_pages_pass_axe(editor_tab, language):
    tab = editor_tab
    tab.context.add_cookies(
        [{"name": "django_language", "value": language, "url": tab.url}]
    )
    seminar = Seminar.objects.get(edition=17)
    problems = {}
    for path in [
        "/admin/",
        "/admin/seminars/seminar/",
        f"/admin/seminars/seminar/{seminar.pk}/change/",
        "/admin/experts/expertdispatch/",
    ]:
        tab.goto(path, wait_until="load")
        name = path.strip("/").replace("/", "-") or "admin"
        screenshot = OUTPUT_DIR / "browser" / "desktop" / "admin" / language
        screenshot.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(screenshot / f"{name}.png"), full_page=True)
        found = axe_problems(tab)
        if found:
            problems[path] = found
    assert not problems, "\n\n".join(
        f"{path}:\n" + "\n".join(found) for path, found in problems.items()
    )


def test_date_widgets_work_in_beijing_time_without_a_warning(editor_tab):
    tab = editor_tab
    tab.goto("/admin/seminars/seminar/add/", wait_until="load")
    expect(tab.locator(".vDateField").first).to_be_visible()
    expect(tab.locator(".timezonewarning")).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=lambda v: v.name)
@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_a_photos_preview_has_room_to_be_read(editor_tab, language, viewport):
    """The photos' table gave the preview one character's width: "画像を
    アップロードしてください" ran down the cell a character per line, each
    row about 290 px high."""
    tab = editor_tab
    tab.set_viewport_size({"width": viewport.width, "height": viewport.height})
    tab.context.add_cookies(
        [{"name": "django_language", "value": language, "url": tab.url}]
    )
    # Photos whose images are still to upload: no thumbnail widens the column.
    seminar = SeminarFactory()
    PhotoFactory(subject=seminar)
    PhotoFactory(subject=seminar)
    tab.goto(f"/admin/seminars/seminar/{seminar.pk}/change/", wait_until="load")

    cells = tab.locator(".inline-group .tabular tr:not(.empty-form) td.field-preview")
    boxes = cells.evaluate_all(
        "cells => cells.map(cell => cell.getBoundingClientRect().toJSON())"
    )
    assert len(boxes) == 2
    for box in boxes:
        assert box["width"] >= 96, box  # the thumbnail's height, and words
        assert box["height"] <= 160, box  # a thumbnail, or two lines of words
    # A table too wide for a phone scrolls in its own box, not the page.
    assert tab.evaluate("document.documentElement.scrollWidth") <= viewport.width
