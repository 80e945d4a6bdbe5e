"""The private tracking page and its files: reached by the token only,
internal notes never shown, everything the requester wrote escaped, and the
requester's reply."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from clair_portal.foundation.models import JapaneseLocalGovernment, OutgoingMail
from support_requests.models import RequestKind, RequestMessage, SupportRequest
from support_requests.services import (
    support_request_change_status,
    support_request_post_message,
    support_request_submit,
)
from support_requests.views import CLOSED_REQUEST_MESSAGE
from tests.factories import UserFactory
from tests.outbox import run_mail_jobs

from .helpers import PDF, in_days, pdf_upload, stored_files, upload

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def staff():
    return UserFactory()


def submitted(**fields):
    values = {
        "kind": RequestKind.ACTIVITY_SUPPORT,
        "language": "ja",
        "government": JapaneseLocalGovernment.objects.get(code="26"),
        "department": "国際課",
        "contact_name": "京都花子",
        "email": "kyoto@example.jp",
        "phone": "075-000-0000",
        "purpose": "友好交流",
        "stay_start": in_days(10),
        "stay_end": in_days(12),
        "attachments": [pdf_upload("日程.pdf")],
    }
    values.update(fields)
    return support_request_submit(**values)


@pytest.fixture
def support_request():
    return submitted()


def track_path(support_request, language="ja"):
    return f"/{language}/support/track/{support_request.token}/"


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_tracking_page(client, support_request, staff, language):
    support_request_change_status(
        request=support_request, status=SupportRequest.Status.ARRANGING, user=staff
    )
    support_request_post_message(
        request=support_request, body="日程を確認しました。", user=staff
    )
    response = client.get(track_path(support_request, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert support_request.reference in html
    assert "日程を確認しました。" in html
    assert html.count('aria-current="step"') == 1
    assert 'class="timeline__step timeline__step--current" aria-current="step"' in html
    assert '<caption id="history-caption">' in html
    assert html.count("<tr>") == 3  # the header and two status changes
    assert "submitted" not in response.request["QUERY_STRING"]
    assert 'class="notice" role="status" aria-labelledby' not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_declined_request_shows_its_end(client, support_request, staff):
    support_request_change_status(
        request=support_request, status=SupportRequest.Status.DECLINED, user=staff
    )
    html = client.get(track_path(support_request)).content.decode()
    assert "timeline__step--end" in html
    assert html.count('aria-current="step"') == 1
    assert "timeline__step--current" not in html


@pytest.mark.parametrize(
    ("language", "delegation", "said_by"),
    [
        ("ja", "市長 佐藤、8人", "</strong> <time"),
        ("zh-hans", "市長 佐藤，8人", "</strong> <time"),
    ],
)
def test_the_page_punctuates_in_its_language(
    client, staff, language, delegation, said_by
):
    # ASCII commas inside Japanese and Chinese text before ("市長 佐藤, 8人").
    support_request = submitted(delegation_leader="市長 佐藤", delegation_size=8)
    support_request_post_message(request=support_request, body="了解", user=staff)
    html = client.get(track_path(support_request, language)).content.decode()
    assert delegation in html
    assert said_by in html
    assert "</strong>," not in html


def test_unknown_token_is_404(client, support_request):
    assert client.get("/ja/support/track/not-a-token/").status_code == 404
    token = support_request.token
    assert client.get(f"/ja/support/track/{token[:-1]}x/").status_code in (404,)
    assert (
        client.post("/ja/support/track/not-a-token/", {"body": "x"}).status_code == 404
    )


def test_requesters_text_is_escaped(client):
    support_request = submitted(
        contact_name=f"{SCRIPT}花子",
        department=SCRIPT,
        purpose=f"{SCRIPT}\n次の行",
        destinations=SCRIPT,
        attachments=[pdf_upload(f"{SCRIPT}.pdf")],
    )
    support_request_post_message(request=support_request, body=f"返信 {SCRIPT}")
    html = client.get(track_path(support_request)).content.decode()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_internal_notes_never_appear(client, support_request, staff):
    support_request_post_message(
        request=support_request,
        body="相手方の予算は未確定（内部）",
        user=staff,
        internal=True,
    )
    note = RequestMessage.objects.get(internal=True)
    support_request_post_message(
        request=support_request,
        body="内部資料",
        user=staff,
        internal=True,
        attachments=[pdf_upload("内部資料.pdf")],
    )
    support_request_post_message(request=support_request, body="公開の返信", user=staff)
    html = client.get(track_path(support_request)).content.decode()
    assert "公開の返信" in html
    assert "相手方の予算" not in html
    assert "内部資料" not in html
    internal_file = note.request.attachments.get(original_name="内部資料.pdf")
    url = f"{track_path(support_request)}files/{internal_file.pk}/"
    assert client.get(url).status_code == 404
    # Internal notes are mailed to nobody.
    assert not any("相手方の予算" in m.body for m in OutgoingMail.objects.all())


def test_download_with_the_token(client, support_request):
    attachment = support_request.attachments.get()
    response = client.get(f"{track_path(support_request)}files/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E6%97%A5%E7%A8%8B.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_download_with_a_wrong_token_is_404(client, support_request):
    attachment = support_request.attachments.get()
    other = submitted(email="other@example.jp")
    for token in ("wrong-token", other.token):
        url = f"/ja/support/track/{token}/files/{attachment.pk}/"
        assert client.get(url).status_code == 404
    assert client.get(f"{track_path(support_request)}files/999999/").status_code == 404


def test_requester_replies_with_a_file(
    client, support_request, django_capture_on_commit_callbacks, private_media
):
    run_mail_jobs()  # the submission's own mail
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            track_path(support_request),
            {"body": "資料を追加します。", "attachments": [pdf_upload("追加.pdf")]},
        )
    assert response.status_code == 302
    assert response["Location"] == f"{track_path(support_request)}?replied=1#messages"
    message = RequestMessage.objects.get()
    assert message.from_requester and not message.internal
    assert message.attachments.get().original_name == "追加.pdf"
    assert len(stored_files(private_media)) == 2
    run_mail_jobs()
    assert [m.to for m in mail.outbox] == [["clairbj-jp@clair.org.cn"]]
    html = client.get(response["Location"]).content.decode()
    assert "資料を追加します。" in html
    assert "追加.pdf" in html


def test_reply_refuses_a_disguised_file(client, support_request, private_media):
    response = client.post(
        track_path(support_request),
        {"body": "どうぞ", "attachments": [upload("写真.png", b"GIF89a not a png")]},
    )
    assert response.status_code == 200
    assert 'id="id_attachments_error"' in response.content.decode()
    assert RequestMessage.objects.count() == 0
    assert len(stored_files(private_media)) == 1  # the request's own file only


def test_reply_needs_a_message(client, support_request):
    response = client.post(track_path(support_request), {"body": ""})
    assert response.status_code == 200
    assert 'id="id_body_error"' in response.content.decode()


def page_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_messages_and_files(
    client, support_request, staff
):
    support_request_post_message(request=support_request, body="最初", user=staff)
    path = track_path(support_request)
    client.get(path)
    before = page_queries(client, path)
    statuses = list(SupportRequest.Status)
    for n in range(20):
        support_request_change_status(
            request=support_request, status=statuses[n % len(statuses)], user=staff
        )
        support_request_post_message(
            request=support_request,
            body=f"返信{n}",
            user=staff if n % 2 else None,
            attachments=[upload(f"f{n}.pdf", PDF)],
        )
    assert page_queries(client, path) == before


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
@pytest.mark.parametrize("status", ["completed", "declined", "withdrawn"])
def test_a_closed_request_says_so_and_keeps_an_unsent_message_on_the_page(
    client, support_request, staff, language, status
):
    """A message on a closed request reached no queue of the desk and no
    reminder, while the page said it was sent (a reviewer's run)."""
    support_request_change_status(request=support_request, status=status, user=staff)
    with translation.override(language):
        closed = str(CLOSED_REQUEST_MESSAGE)
    assert ("終了" if language == "ja" else "已结束") in closed
    page = client.get(track_path(support_request, language)).content.decode()
    assert closed in page
    assert 'id="request-form"' not in page
    # With no message, the page no longer says the office will write here.
    with translation.override(language):
        will_write = gettext(
            "No messages yet. The office will write to you here and by email."
        )
        none_exchanged = gettext("No messages were exchanged on this request.")
    assert will_write not in page and none_exchanged in page

    response = client.post(
        track_path(support_request, language), {"body": "撤回是误操作，请继续办理！"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert closed in html
    assert "撤回是误操作，请继续办理！" in html  # in the form, to copy
    assert not RequestMessage.objects.exists()
