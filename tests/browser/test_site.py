"""A visitor's way through the public site in Chromium, at phone and desktop width."""

import re

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from clair_portal.features.home import headline_figures
from seminars.models import Seminar

from .conftest import SEMINAR_PHOTO_CAPTIONS

CAPTION_JA = SEMINAR_PHOTO_CAPTIONS["ja"]
CAPTION_ZH = SEMINAR_PHOTO_CAPTIONS["zh-hans"]


def translated(language, message, **values):
    with translation.override(language):
        return gettext(message) % values if values else gettext(message)


def assert_fits_phone_width(visitor):
    if visitor.viewport.is_mobile:
        assert not visitor.has_horizontal_scroll(), (
            f"{visitor.page.url} scrolls sideways at {visitor.viewport.width}px"
        )


def switch_language(visitor, language):
    visitor.follow(visitor.page.locator(f'.language-switch a[hreflang="{language}"]'))


def test_home_page_and_language_switch(visitor, page):
    visitor.visit("/ja/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    office_name = translated("ja", "CLAIR Beijing Office")
    expect(page.get_by_role("heading", level=1)).to_have_text(office_name)
    expect(page.locator(".site-name")).to_contain_text(office_name)

    with translation.override("ja"):
        figures = [(str(f.label), f.value) for f in headline_figures()]
    assert figures, "the brochures give the home page key figures"
    key_figures = page.locator(".key-figure")
    expect(key_figures).to_have_count(len(figures))
    for item, (label, value) in zip(key_figures.all(), figures, strict=True):
        expect(item.locator(".key-figure__label")).to_have_text(label)
        expect(item.locator(".key-figure__value")).to_contain_text(
            re.compile(rf"{value:,}|{value}")
        )
        expect(item).to_be_visible()
    assert_fits_phone_width(visitor)
    visitor.screenshot_as("journeys", "ja-home")

    page.keyboard.press("Tab")  # the first stop is the skip link, shown on focus
    skip_link = page.get_by_role("link", name=translated("ja", "Skip to content"))
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ja/#main$"))

    switch_language(visitor, "zh-hans")
    expect(page).to_have_url(re.compile(r"/zh-hans/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated("zh-hans", "CLAIR Beijing Office")
    )
    expect(page.locator(".key-figure")).to_have_count(len(figures))
    assert_fits_phone_width(visitor)
    visitor.screenshot_as("journeys", "zh-hans-home")


def test_seminar_archive_to_a_seminar_with_its_photo(visitor, page, seminar_photo):
    seminar = Seminar.objects.get(edition=17)

    visitor.visit("/ja/seminars/")
    assert_fits_phone_width(visitor)
    visitor.screenshot_as("journeys", "ja-seminars")
    visitor.follow(
        page.get_by_role(
            "link", name=translated("ja", "No. %(edition)s", edition=17), exact=True
        )
    )
    expect(page).to_have_url(re.compile(r"/ja/seminars/17/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("17")
    expect(page.locator(".lead")).to_have_text(seminar.theme_ja)
    assert_photo_shown(visitor, CAPTION_JA)
    assert_fits_phone_width(visitor)
    visitor.screenshot_as("journeys", "ja-seminar-17")

    switch_language(visitor, "zh-hans")
    expect(page).to_have_url(re.compile(r"/zh-hans/seminars/17/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".lead")).to_have_text(seminar.theme_zh_hans)
    assert_photo_shown(visitor, CAPTION_ZH)
    assert_fits_phone_width(visitor)
    visitor.screenshot_as("journeys", "zh-hans-seminar-17")


def assert_photo_shown(visitor, caption):
    page = visitor.page
    figure = page.locator("figure", has=page.locator("figcaption", has_text=caption))
    expect(figure).to_have_count(1)
    image = figure.locator("img")
    image.scroll_into_view_if_needed()  # the photos load lazily
    expect(image).to_have_attribute("alt", caption)
    expect(image).to_have_js_property("complete", True)
    visitor.assert_nothing_failed()
    assert image.evaluate("image => image.naturalWidth") > 0, "the photo did not load"
    expect(figure.locator("figcaption")).to_be_visible()
    visitor.assert_nothing_failed()
