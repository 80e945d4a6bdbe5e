"""The whole path with the test client: form, submission, confirmation,
tracking page, mail in the requester's language; both kinds, both languages."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from clair_portal.foundation.models import OutgoingMail
from support_requests.forms import SupportRequestForm
from support_requests.models import (
    RequestKind,
    StatusChange,
    SupportRequest,
)
from support_requests.services import support_request_submit
from tests.outbox import run_mail_jobs

from .helpers import (
    activity_data,
    expert_data,
    pdf_upload,
    research_data,
    stored_files,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"BJ-\d{4}-\d{4}")


def submit(client, path, data, django_capture_on_commit_callbacks):
    """POST the form, mail sent as after a real commit; the request saved."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    support_request = SupportRequest.objects.get()
    return response, support_request


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_activity_support_from_form_to_tracking_page(
    client, language, django_capture_on_commit_callbacks, private_media
):
    data = activity_data(attachments=[pdf_upload("計画書.pdf")])
    response, support_request = submit(
        client,
        f"/{language}/support/request/",
        data,
        django_capture_on_commit_callbacks,
    )

    assert support_request.kind == RequestKind.ACTIVITY_SUPPORT
    assert support_request.language == language
    assert support_request.government.code == "21203"  # Takayama, not Gifu
    assert REFERENCE.fullmatch(support_request.reference)
    assert support_request.services.count() == 2
    assert support_request.consented_at is not None
    assert support_request.research_subject == ""
    assert StatusChange.objects.get().to_status == SupportRequest.Status.RECEIVED
    attachment = support_request.attachments.get()
    assert attachment.original_name == "計画書.pdf"
    assert attachment.content_type == "application/pdf"
    assert len(stored_files(private_media)) == 1

    track = f"/{language}/support/track/{support_request.token}/"
    assert response["Location"] == f"{track}?submitted=1"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<html lang="{language}">' in html
    assert support_request.reference in html
    assert f"{settings.SITE_URL}{track}" in html  # the private link, absolute
    assert 'role="status"' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"] == "private, no-store"
    assert "計画書.pdf" in html
    assert html.count("<h1>") == 1

    run_mail_jobs()
    requester_mail, desk_mail = sorted(
        mail.outbox, key=lambda m: m.to != [data["email"]]
    )
    assert requester_mail.to == ["hida@example.jp"]
    assert support_request.reference in requester_mail.subject
    assert f"http://127.0.0.1:8000{track}" in requester_mail.body
    assert desk_mail.to == ["clairbj-jp@clair.org.cn"]
    assert f"/admin/support_requests/supportrequest/{support_request.pk}/change/" in (
        desk_mail.body
    )
    assert OutgoingMail.objects.pending().count() == 0


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_overseas_research(client, language, django_capture_on_commit_callbacks):
    data = research_data(attachments=[upload("質問.xlsx", xlsx_bytes())])
    # Activity fields filled in by mistake are not saved with a research.
    data["purpose"] = "関係のない文"
    _response, support_request = submit(
        client,
        f"/{language}/support/request/",
        data,
        django_capture_on_commit_callbacks,
    )
    assert support_request.kind == RequestKind.OVERSEAS_RESEARCH
    assert support_request.government.code == "26"
    assert support_request.research_subject == "中国の介護保険制度"
    assert support_request.purpose == ""
    assert support_request.services.count() == 0
    assert support_request.attachments.get().content_type.endswith(".sheet")
    html = client.get(support_request.tracking_path()).content.decode()
    assert "中国の介護保険制度" in html


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_expert_request(client, language, django_capture_on_commit_callbacks):
    _response, support_request = submit(
        client,
        f"/{language}/experts/request/",
        expert_data(),
        django_capture_on_commit_callbacks,
    )
    assert support_request.kind == RequestKind.EXPERT_DISPATCH
    assert support_request.language == language
    assert support_request.chinese_government.code == "410200"
    assert support_request.government is None
    assert support_request.expert_subject == "有机农业技术"
    assert support_request.purpose == "希望日本专家指导有机农业。"
    with translation.override(language):
        track = support_request.tracking_path()
    assert track.startswith(f"/{language}/support/track/")
    html = client.get(track).content.decode()
    assert "有机农业技术" in html
    assert "开封市" in html or "開封市" in html


def test_mail_link_is_in_the_requesters_language(
    client, django_capture_on_commit_callbacks
):
    """The mail is rendered in the request's language, whatever the language
    active when it is sent; its tracking link has that language's prefix."""
    with translation.override("ja"):
        _response, support_request = submit(
            client,
            "/zh-hans/experts/request/",
            expert_data(),
            django_capture_on_commit_callbacks,
        )
    run_mail_jobs()
    requester_mail = next(m for m in mail.outbox if m.to == ["wang@example.cn"])
    assert f"/zh-hans/support/track/{support_request.token}/" in requester_mail.body


def test_a_failed_submission_leaves_no_file(monkeypatch, private_media):
    """The transaction rolls the rows back; the service removes the files."""

    def broken_mail(**kwargs):
        raise RuntimeError("template error")

    monkeypatch.setattr("support_requests.services.mail_queue", broken_mail)
    data = activity_data(attachments=[pdf_upload(), pdf_upload("b.pdf")])
    files = MultiValueDict({"attachments": data.pop("attachments")})
    form = SupportRequestForm(
        data=MultiValueDict(
            {k: v if isinstance(v, list) else [v] for k, v in data.items()}
        ),
        files=files,
    )
    assert form.is_valid(), form.errors
    with pytest.raises(RuntimeError):
        support_request_submit(language="ja", **form.submission())
    assert SupportRequest.objects.count() == 0
    assert stored_files(private_media) == []
