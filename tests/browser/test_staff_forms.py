"""Forms staff fill in the admin, in real Chromium against the portal as
production runs it (gunicorn, DEBUG off, the production headers), in both
languages, read back from the page: a photo uploaded by an editor, and a
request corrected by the desk."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.text import capfirst
from PIL import Image
from playwright.sync_api import expect

from clair_portal.foundation.models import Photo
from seminars.models import Seminar
from support_requests.models import SupportRequest
from tests import factories
from tests.production.conftest import (  # noqa: F401 - fixtures
    PASSWORD,
    make_staff,
    restore_brochures,
    serve,
    static_root,
)
from tests.security.test_uploads import png_declaring

from .conftest import DESKTOP, PHONE, sign_in
from .test_production_journeys import translated

LANGUAGES = ["ja", "zh-hans"]


@pytest.fixture(autouse=True)
def brochures(transactional_db, committed_brochures):
    """Data the served portal sees: committed."""


def signed_in(browser, portal, user, language, viewport=DESKTOP):
    """A tab of `user`, signed in, the admin in `language`."""
    context = browser.new_context(**viewport.context_options())
    context.set_default_timeout(15_000)
    base = f"http://127.0.0.1:{portal.port}"
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    tab = context.new_page()
    tab.goto(f"{base}/admin/login/")
    sign_in(tab, user.username, PASSWORD)
    return tab, base


def given(user, app_label, *codenames):
    """The user gets these permissions directly: a transactional test before
    may have flushed the staff groups."""
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    )


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), "#1d4f91").save(buffer, "JPEG")
    return buffer.getvalue()


def test_an_editor_uploads_a_photo(serve, browser, make_staff, tmp_path):  # noqa: F811
    """Both languages in one test, on a server of its own: a flush between
    tests makes the content types anew, with new IDs, which a server started
    earlier would still hold in its cache (production never flushes)."""
    portal = serve(HTTPS="0", MEDIA_ROOT=str(tmp_path / "media"))
    ContentType.objects.clear_cache()
    seminars = str(ContentType.objects.get_for_model(Seminar).pk)
    seminar = Seminar.objects.order_by("pk").first()
    editor = make_staff("photo-editor")
    given(editor, "clair_portal", "add_photo", "change_photo", "view_photo")
    for language in LANGUAGES:
        tab, base = signed_in(browser, portal, editor, language)

        def fill_and_save(name, data, mime, tab=tab, base=base, language=language):
            tab.goto(f"{base}/admin/clair_portal/photo/add/")
            tab.select_option("#id_content_type", value=seminars)
            tab.fill("#id_object_id", str(seminar.pk))
            tab.set_input_files(
                "#id_image", files=[{"name": name, "mimeType": mime, "buffer": data}]
            )
            tab.fill("#id_caption_ja", f"交流会の様子 {language}")
            tab.fill("#id_caption_zh_hans", "交流会现场")
            with tab.expect_navigation(wait_until="load") as navigation:
                tab.locator("input[name=_save]").click()
            return navigation.value.status

        photos = Photo.objects.count()
        # A PNG of a few bytes that declares 4,000 x 3,001 pixels.
        assert (
            fill_and_save("poster.png", png_declaring(4000, 3001), "image/png") == 200
        )
        expect(tab.locator(".errorlist")).to_contain_text(
            translated(
                language,
                "This PNG image has too many pixels (at most %(max)s). Save a photo "
                "as JPEG, or make the image smaller, and upload it again.",
            )
            % {"max": "12,000,000"}
        )
        # Every label in the admin's language (these two were in English).
        for field, label in [
            ("content_type", "kind of record"),
            ("object_id", "record number"),
        ]:
            expect(tab.locator(f"label[for=id_{field}]")).to_have_text(
                capfirst(translated(language, label)) + ":"
            )
        # What was typed is kept: only the file has to be chosen again.
        expect(tab.locator("#id_caption_ja")).to_have_value(f"交流会の様子 {language}")
        assert Photo.objects.count() == photos
        for viewport in (DESKTOP, PHONE):
            tab.set_viewport_size({"width": viewport.width, "height": viewport.height})
            tab.screenshot(
                path=str(tmp_path / f"photo-refused-{language}-{viewport.width}.png"),
                full_page=True,
            )
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport.width, (viewport.name, width)
        tab.set_viewport_size({"width": DESKTOP.width, "height": DESKTOP.height})

        assert fill_and_save("交流会.jpg", jpeg(), "image/jpeg") == 200
        expect(tab.locator(".messagelist .success")).to_be_visible()
        photo = Photo.objects.get(caption_ja=f"交流会の様子 {language}")
        assert photo.image.name.endswith(".jpg") and photo.subject == seminar
        tab.context.close()


def test_the_desk_corrects_what_a_requester_sent(serve, browser, make_staff, tmp_path):  # noqa: F811
    """Both languages in one test, on a server of its own (see above)."""
    portal = serve(HTTPS="0", MEDIA_ROOT=str(tmp_path / "media"))
    clerk = make_staff("corrector")
    given(
        clerk,
        "support_requests",
        "view_supportrequest",
        "change_supportrequest",
        "view_requestmessage",
        "view_statuschange",
    )
    for language in LANGUAGES:
        request = factories.SupportRequestFactory(phone="03-1234-5678")
        tab, base = signed_in(browser, portal, clerk, language, PHONE)
        tab.goto(f"{base}/admin/support_requests/supportrequest/{request.pk}/correct/")

        # Not a telephone number: refused in the admin's language, nothing kept.
        tab.fill("#id_phone", "<script>alert(1)</script>")
        with tab.expect_navigation(wait_until="load"):
            tab.locator("input[type=submit]").click()
        expect(tab.locator(".field-phone .errorlist")).to_contain_text(
            translated(
                language,
                "Enter a telephone number of 6 to 24 digits, spaces, +, - or "
                "brackets (an extension may follow).",
            )
        )
        with translation.override(language):
            summary = translation.ngettext(
                "Please correct the error below.", "Please correct the errors below.", 1
            )
        expect(tab.locator(".errornote")).to_have_text(summary)
        assert SupportRequest.objects.get(pk=request.pk).phone == "03-1234-5678"
        # A phone's width holds the form: nothing wider than the screen.
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE.width
        tab.screenshot(
            path=str(tmp_path / f"correct-refused-{language}-{PHONE.width}.png"),
            full_page=True,
        )

        # Full-width digits, as a Japanese keyboard types them: kept as the
        # office files them, and the correction is in the request's thread.
        tab.fill("#id_phone", "０３－９８７６－５４３２")
        with tab.expect_navigation(wait_until="load"):
            tab.locator("input[type=submit]").click()
        expect(tab).to_have_url(re.compile(rf"/supportrequest/{request.pk}/change/$"))
        expect(tab.locator(".messagelist .success")).to_be_visible()
        assert SupportRequest.objects.get(pk=request.pk).phone == "03-9876-5432"
        tab.context.close()
