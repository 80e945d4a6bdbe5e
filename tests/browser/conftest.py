"""Browser tests: Debian's Chromium, driven by Playwright, against live_server."""

import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect, sync_playwright

from clair_portal.foundation.models import Photo
from seminars.models import Seminar

# Playwright's sync API runs an asyncio event loop in the test's thread, where
# Django's ORM refuses to run unless this is set (it is read at each query).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = Path(os.environ.get("TEST_OUTPUT_DIR") or REPO_ROOT / "test-results")

# Debian's chromium package, never a browser downloaded by `playwright install`.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    is_mobile: bool = False
    has_touch: bool = False
    device_scale_factor: float = 1

    def context_options(self):
        return {
            "viewport": {"width": self.width, "height": self.height},
            "is_mobile": self.is_mobile,
            "has_touch": self.has_touch,
            "device_scale_factor": self.device_scale_factor,
        }


PHONE = Viewport(
    "phone", 390, 844, is_mobile=True, has_touch=True, device_scale_factor=2
)
DESKTOP = Viewport("desktop", 1280, 900)
# The narrowest screen WCAG's reflow criterion (1.4.10) asks for.
NARROW = Viewport("narrow", 320, 640, is_mobile=True, has_touch=True)
VIEWPORTS = {viewport.name: viewport for viewport in (PHONE, DESKTOP)}

SEMINAR_PHOTO_CAPTIONS = {
    "ja": "第17回セミナーの全体会議",
    "zh-hans": "第十七届研讨会全体会议",
}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone():
    return PHONE


@pytest.fixture
def desktop():
    return DESKTOP


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    """Runs the test once at phone width and once at desktop width."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="session")
def restore_database(django_db_setup, django_db_blocker):
    """live_server tests are transactional: the database is flushed after each
    one. With --reuse-db the next session would find it without the brochures:
    put them back after the last browser test. (The staff groups come back
    by themselves: every flush applies clair_portal.features.staff_roles.)"""
    yield
    with django_db_blocker.unblock():
        load_brochures()


def load_brochures():
    call_command("load_brochures", stdout=io.StringIO())


@pytest.fixture
def site_url(live_server, settings, tmp_path, restore_database):
    """The live server's URL, with the brochures loaded and media served from a
    temporary MEDIA_ROOT (DEBUG stays off; tests/browser/urls.py serves it)."""
    settings.ROOT_URLCONF = "tests.browser.urls"
    settings.MEDIA_ROOT = tmp_path / "media"
    # Absolute links (the tracking link, canonical) are made from SITE_URL.
    settings.SITE_URL = live_server.url
    # imagekit remembers in the cache which thumbnails exist: forget the ones
    # an earlier test made in its own MEDIA_ROOT.
    for cache in caches.all():
        cache.clear()
    load_brochures()
    return live_server.url


def sign_in(page: Page, username: str, password: str) -> None:
    """Fill the admin's sign-in form open in `page` and send it, as a person
    does; fails unless the admin then shows the user's tools."""
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation(wait_until="load"):
        page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


@dataclass
class Visitor:
    """Drives one Playwright page and keeps the requests that failed on it."""

    page: Page
    viewport: Viewport
    failed: list[str] = field(default_factory=list)
    origin: str = ""  # the live server's: nothing may load from elsewhere

    def visit(self, path):
        """Open a path of the site; fail unless it and everything it loads answer."""
        self.failed.clear()
        response = self.page.goto(path, wait_until="load")
        assert response is not None, f"no response for {path}"
        assert response.status == 200, f"{path} answered {response.status}"
        self.assert_nothing_failed()
        return response

    def follow(self, locator):
        """Click a link and wait for the page it opens."""
        self.failed.clear()
        with self.page.expect_navigation(wait_until="load") as navigation:
            locator.click()
        response = navigation.value
        assert response is not None and response.status == 200, (
            f"{self.page.url} answered {response and response.status}"
        )
        self.assert_nothing_failed()
        return response

    def assert_nothing_failed(self):
        assert not self.failed, "requests failed: " + ", ".join(self.failed)

    def has_horizontal_scroll(self):
        # Against the screen's width, not window.innerWidth: a mobile browser
        # widens its layout viewport to content that overflows (a 465 px
        # table on a 390 px phone read as no overflow at all).
        return self.page_width() > self.viewport.width

    def page_width(self):
        return self.page.evaluate("document.documentElement.scrollWidth")

    def screenshot_as(self, group, name):
        """A full-page screenshot: TEST_OUTPUT_DIR/browser/<viewport>/<group>/<name>.png."""
        path = self.output_path(group, f"{name}.png")
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def output_path(self, group, filename):
        path = OUTPUT_DIR / "browser" / self.viewport.name / group / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def record(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def record_request(self, request):
        """The portal must work inside China without foreign services: a page
        loads nothing (fonts, scripts, images, styles) from another host."""
        scheme, netloc, *_rest = urlsplit(request.url)
        if scheme in ("http", "https") and f"{scheme}://{netloc}" != self.origin:
            self.failed.append(f"loaded from another host: {request.url}")

    def record_failed_request(self, request):
        # A 404 stylesheet is also reported as aborted: say it once.
        if not any(failure.endswith(f" {request.url}") for failure in self.failed):
            self.failed.append(f"{request.failure} {request.url}")


@pytest.fixture
def open_visitor(browser, site_url):
    """open_visitor(viewport): a Visitor in a fresh browser context at that viewport."""
    contexts = []

    def open_at(viewport):
        context = browser.new_context(base_url=site_url, **viewport.context_options())
        context.set_default_timeout(15_000)
        contexts.append(context)
        visitor = Visitor(context.new_page(), viewport, origin=site_url)
        visitor.page.on("request", visitor.record_request)
        visitor.page.on("response", visitor.record)
        visitor.page.on("requestfailed", visitor.record_failed_request)
        return visitor

    yield open_at
    for context in contexts:
        context.close()


@pytest.fixture
def visitor(open_visitor, viewport):
    """A Visitor at the test's viewport (the test runs at phone and at desktop width)."""
    return open_visitor(viewport)


@pytest.fixture
def page(visitor):
    return visitor.page


@pytest.fixture
def seminar_photo(site_url):
    """A real photo of seminar 17, as staff would upload it (in MEDIA_ROOT)."""
    seminar = Seminar.objects.get(edition=17)
    buffer = io.BytesIO()
    image = Image.new("RGB", (1200, 800), "#1d4f91")
    ImageDraw.Draw(image).rectangle((100, 100, 1100, 700), fill="#f6f8fb")
    image.save(buffer, "JPEG")
    return Photo.objects.create(
        content_type=ContentType.objects.get_for_model(Seminar),
        object_id=seminar.pk,
        image=SimpleUploadedFile("plenary.jpg", buffer.getvalue(), "image/jpeg"),
        caption_ja=SEMINAR_PHOTO_CAPTIONS["ja"],
        caption_zh_hans=SEMINAR_PHOTO_CAPTIONS["zh-hans"],
        position=0,
    )
