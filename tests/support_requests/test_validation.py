"""Every bad input is refused with its message beside its field, in the
page's language, and saves nothing: no request, no file, no mail."""

import html as html_module
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from clair_portal.foundation.models import OutgoingMail
from support_requests.forms import SupportRequestForm
from support_requests.models import SupportRequest

from .helpers import (
    PDF,
    activity_data,
    expert_data,
    image_bytes,
    in_days,
    pdf_upload,
    research_data,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["ja", "zh-hans"]
REQUIRED = "This field is required."
NOT_A_REAL = (
    "“%(name)s” is not a real %(format)s file: its content does not match its name."
)


def field_errors(html, field):
    """The text of the errors shown beside a field (its _error list)."""
    match = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S
    )
    assert match, f"no errors beside {field}"
    return html_module.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))


def assert_refused(client, language, path, data, field, message, private_media):
    response = client.post(f"/{language}{path}", data)
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override(language):
        expected = message() if callable(message) else gettext(message)
    assert expected in field_errors(html, field)
    assert 'class="error-summary"' in html
    assert f'href="#id_{field}' in html  # the summary links to the field
    tag = re.search(
        rf'<(?:input|select|textarea)[^>]*id="id_{field}(?:_0)?"[^>]*>', html
    )
    assert 'aria-invalid="true"' in tag.group(0)
    assert SupportRequest.objects.count() == 0
    assert OutgoingMail.objects.count() == 0
    assert stored_files(private_media) == []
    return html


def build(builder, overrides):
    """Form data from the tables below (built in the test: it reads the database)."""
    return builder(
        **{
            key: value() if callable(value) else value
            for key, value in overrides.items()
        }
    )


def pdfs(count):
    return [pdf_upload(f"plan{n}.pdf") for n in range(count)]


SUPPORT_CASES = {
    "no kind": (
        activity_data,
        dict(kind=None),
        "kind",
        "Choose activity support or overseas research.",
    ),
    "activity without purpose": (activity_data, dict(purpose=""), "purpose", REQUIRED),
    "activity without stay dates": (
        activity_data,
        dict(stay_start=None, stay_end=None),
        "stay_start",
        REQUIRED,
    ),
    "activity without places": (
        activity_data,
        dict(destinations=""),
        "destinations",
        REQUIRED,
    ),
    "research without subject": (
        research_data,
        dict(research_subject=""),
        "research_subject",
        REQUIRED,
    ),
    "research without questions": (
        research_data,
        dict(research_questions=""),
        "research_questions",
        REQUIRED,
    ),
    "end before start": (
        activity_data,
        dict(stay_start=in_days(10), stay_end=in_days(9)),
        "stay_end",
        "The end of the stay cannot be before its start.",
    ),
    "stay in the past": (
        activity_data,
        dict(stay_start=in_days(-3)),
        "stay_start",
        "Enter a date from today on.",
    ),
    "research needed yesterday": (
        research_data,
        dict(needed_by=in_days(-1)),
        "needed_by",
        "Enter a date from today on.",
    ),
    "no government": (
        activity_data,
        dict(government=" "),
        "government",
        "Type the name of your local government.",
    ),
    "no consent": (
        activity_data,
        dict(consent=None),
        "consent",
        "Agree to the privacy notice to send your request.",
    ),
    "bad email": (
        activity_data,
        dict(email="hida@"),
        "email",
        "Enter a valid email address.",
    ),
    "too short a phone": (
        activity_data,
        dict(phone="011"),
        "phone",
        "Enter a telephone number of 6 to 24 digits, spaces, +, - or brackets (an extension may follow).",
    ),
    "bad phone": (
        activity_data,
        dict(phone="call me"),
        "phone",
        "Enter a telephone number of 6 to 24 digits, spaces, +, - or brackets (an extension may follow).",
    ),
    "delegation of nobody": (
        activity_data,
        dict(delegation_size="0"),
        "delegation_size",
        lambda: (
            gettext("Ensure this value is greater than or equal to %(limit_value)s.")
            % {"limit_value": 1}
        ),
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(SUPPORT_CASES))
def test_support_form_refuses(client, language, case, private_media):
    builder, overrides, field, message = SUPPORT_CASES[case]
    data = build(builder, overrides)
    assert_refused(
        client, language, "/support/request/", data, field, message, private_media
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_name_of_several_governments_asks_to_choose(client, language, private_media):
    data = activity_data(government="高山")

    def message():
        return gettext(
            "Several local governments match “%(text)s”: choose yours below, or "
            "type more of its name."
        ) % {"text": "高山"}

    assert_refused(
        client,
        language,
        "/support/request/",
        data,
        "government",
        message,
        private_media,
    )


def test_other_kinds_fields_are_not_required(
    client, django_capture_on_commit_callbacks
):
    """A research needs no stay dates; an activity support no research subject."""
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/ja/support/request/", research_data()).status_code == 302
        assert client.post("/ja/support/request/", activity_data()).status_code == 302
    assert SupportRequest.objects.count() == 2


ATTACHMENT_CASES = {
    "a sixth attachment": (
        lambda: pdfs(6),
        lambda: (
            gettext("Attach at most %(max)d files (you chose %(count)d).")
            % {"max": 5, "count": 6}
        ),
    ),
    "a file over 10 MB": (
        lambda: [upload("big.pdf", PDF + b"0" * (10 * 1024 * 1024))],
        lambda: "big.pdf",
    ),
    "a text file named .pdf": (
        lambda: [upload("report.pdf", b"just some text, not a PDF\n" * 10)],
        lambda: gettext(NOT_A_REAL) % {"name": "report.pdf", "format": "PDF"},
    ),
    "a program named .pdf": (
        lambda: [upload("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200)],
        lambda: gettext(NOT_A_REAL) % {"name": "invoice.pdf", "format": "PDF"},
    ),
    "a PNG named .docx": (
        lambda: [upload("minutes.docx", image_bytes("PNG"))],
        lambda: gettext(NOT_A_REAL) % {"name": "minutes.docx", "format": "Word"},
    ),
    "a program": (
        lambda: [upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 200)],
        lambda: (
            gettext(
                "“%(name)s” is not of an accepted type. Send PDF, Word, Excel, "
                "PowerPoint, JPEG or PNG files."
            )
            % {"name": "setup.exe"}
        ),
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(ATTACHMENT_CASES))
def test_attachments_are_refused(client, language, case, private_media):
    files, message = ATTACHMENT_CASES[case]
    data = activity_data(attachments=files())
    assert_refused(
        client,
        language,
        "/support/request/",
        data,
        "attachments",
        message,
        private_media,
    )


def test_a_good_file_beside_a_bad_one_is_not_saved_either(client, private_media):
    data = activity_data(
        attachments=[pdf_upload(), upload("photo.jpg", b"not a JPEG at all")]
    )
    html = assert_refused(
        client,
        "ja",
        "/support/request/",
        data,
        "attachments",
        lambda: gettext(NOT_A_REAL) % {"name": "photo.jpg", "format": "JPEG"},
        private_media,
    )
    # The browser drops chosen files when the form comes back: say so.
    with translation.override("ja"):
        assert (
            gettext(
                "Choose your files again before sending: a browser does not keep them "
                "when the form comes back."
            )
            in html
        )


EXPERT_CASES = {
    "no field": (
        expert_data,
        dict(expert_field=None),
        "expert_field",
        "Choose the field of the expert.",
    ),
    "no subject": (expert_data, dict(expert_subject=""), "expert_subject", REQUIRED),
    "no details": (expert_data, dict(purpose=""), "purpose", REQUIRED),
    "no period": (expert_data, dict(wished_start=None), "wished_start", REQUIRED),
    "end before start": (
        expert_data,
        dict(wished_start=in_days(20), wished_end=in_days(19)),
        "wished_end",
        "The end of the period cannot be before its start.",
    ),
    "no consent": (
        expert_data,
        dict(consent=None),
        "consent",
        "Agree to the privacy notice to send your request.",
    ),
    "a disguised file": (
        expert_data,
        dict(attachments=lambda: [upload("plan.pdf", b"<html>not a pdf</html>")]),
        "attachments",
        lambda: gettext(NOT_A_REAL) % {"name": "plan.pdf", "format": "PDF"},
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(EXPERT_CASES))
def test_expert_form_refuses(client, language, case, private_media):
    builder, overrides, field, message = EXPERT_CASES[case]
    data = build(builder, overrides)
    assert_refused(
        client, language, "/experts/request/", data, field, message, private_media
    )


def test_a_name_of_no_government_says_so(client, private_media):
    data = expert_data(government="东京")

    def message():
        return gettext(
            "No local government is named “%(text)s”. Type part of its name, in "
            "Japanese or Chinese."
        ) % {"text": "东京"}

    assert_refused(
        client,
        "zh-hans",
        "/experts/request/",
        data,
        "government",
        message,
        private_media,
    )


@pytest.mark.parametrize("path", ["/ja/support/request/", "/zh-hans/experts/request/"])
def test_filled_honeypot_saves_nothing_and_answers_400(client, path, private_media):
    data = (activity_data if "support" in path else expert_data)(
        website="http://spam.example", attachments=[pdf_upload()]
    )
    response = client.post(path, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "BJ-" not in html
    assert "clairbj-jp@clair.org.cn" in html  # how a person can still write
    assert SupportRequest.objects.count() == 0
    assert OutgoingMail.objects.count() == 0
    assert stored_files(private_media) == []


def test_the_form_keeps_what_was_typed(client):
    html = client.post(
        "/ja/support/request/", activity_data(consent=None)
    ).content.decode()
    assert "観光プロモーションのため北京の旅行会社を訪問します。" in html
    assert 'value="hida@example.jp"' in html
    # The government found, by its full name and code, for the next sending.
    assert 'name="government" value="岐阜県高山市"' in html
    assert 'name="government_pick" value="21203"' in html


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_the_error_summary_names_each_field_with_the_full_width_colon(client, language):
    html = client.post(f"/{language}/support/request/", {}).content.decode()
    summary = html[html.index('id="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    with translation.override(language):
        label = str(SupportRequestForm.base_fields["contact_name"].label)
    assert f"{label}：" in summary
    assert f"{label}: " not in summary


@pytest.mark.parametrize(
    "path, title",
    [
        ("/ja/support/request/", "<title>エラー：活動支援・海外事情調査の申込み"),
        ("/zh-hans/support/request/", "<title>错误："),
        ("/ja/experts/request/", "<title>エラー："),
        ("/zh-hans/experts/request/", "<title>错误："),
    ],
)
def test_a_form_sent_back_says_error_first_in_its_title(client, path, title):
    """A screen reader reads the title first: 「エラー：」, with the
    full-width colon, and the page's own title after it."""
    html = client.post(path, {}).content.decode()
    assert title in html
    assert "<title>エラー：" not in client.get(path).content.decode()
