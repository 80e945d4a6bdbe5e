"""Mail through a real SMTP server on loopback (aiosmtpd): written with a job
in the request's transaction, sent by the worker's job; the requester's in
their language, the desk's; and a mail server that is down loses nothing."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from clair_portal.foundation.mail import mail_queue
from clair_portal.foundation.models import ContentVersion, OutgoingMail
from experts.steps import EXPERT_DISPATCH_STEPS
from support_requests.models import RequestKind, SupportRequest
from support_requests.services import (
    support_request_change_status,
    support_request_post_message,
)
from tests.factories import SupportRequestFactory, UserFactory
from tests.outbox import mail_jobs, run_mail_jobs

from .helpers import (
    SmtpServer,
    activity_data,
    body_of,
    expert_data,
    free_port,
    pdf_upload,
    use_smtp,
)

DESK = "clairbj-jp@clair.org.cn"


def in_language(language, message):
    with translation.override(language):
        return gettext(message)


def assert_written_in(language, text, kind):
    """The mail speaks the requester's language: the greeting and the office's
    name from the catalogs, the kind of request by its glossary term."""
    for message in (
        "Thank you for your request. CLAIR's Beijing office has received it, and "
        "the person in charge will contact you shortly.",
        "CLAIR Beijing Office",
    ):
        assert in_language(language, message) in text
    with translation.override(language):
        assert str(kind.label) in text
    other = "zh-hans" if language == "ja" else "ja"
    assert in_language(other, "CLAIR Beijing Office") not in text


@pytest.mark.django_db
def test_japanese_request_mail_arrives_in_japanese(
    client, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ja/support/request/", activity_data(attachments=[pdf_upload()])
        )
    assert response.status_code == 302
    support_request = SupportRequest.objects.get()
    # The request wrote the mail and its jobs; nothing left before the worker.
    assert smtp.mailbox.envelopes == []
    written = set(OutgoingMail.objects.values_list("pk", flat=True))
    assert len(written) == 2
    assert written <= {job.args["mail_id"] for job in mail_jobs()}
    content_version = list(ContentVersion.objects.values_list("token", flat=True))
    run_mail_jobs()
    # Sending is no change of content: no cached page is retired.
    assert list(ContentVersion.objects.values_list("token", flat=True)) == (
        content_version
    )

    (requester,) = smtp.mailbox.to("hida@example.jp")
    assert support_request.reference in requester["Subject"]
    assert requester.get_content_charset() == "utf-8"
    text = body_of(requester)
    assert_written_in("ja", text, RequestKind.ACTIVITY_SUPPORT)
    assert "活動支援" in text
    # The stay, as the pages write it: 2027年1月3日～2027年1月7日.
    start, end = support_request.stay_start, support_request.stay_end
    stay = f"{start.year}年{start.month}月{start.day}日～{end.year}年{end.month}月{end.day}日"
    assert stay in text
    assert f"http://127.0.0.1:8000/ja/support/track/{support_request.token}/" in text
    stored = OutgoingMail.objects.get(recipients="hida@example.jp")
    assert requester["Message-ID"] == stored.message_id
    assert stored.attempts == 1

    (desk,) = smtp.mailbox.to(DESK)
    assert support_request.reference in desk["Subject"]
    assert (
        f"/admin/support_requests/supportrequest/{support_request.pk}/change/"
        in body_of(desk)
    )
    assert OutgoingMail.objects.pending().count() == 0
    assert not OutgoingMail.objects.sending().exists()

    # The jobs again, or the periodic job: nothing leaves twice.
    run_mail_jobs()
    call_command("send_pending_mail", stdout=io.StringIO())
    assert len(smtp.mailbox.envelopes) == 2


@pytest.mark.django_db
def test_chinese_expert_request_mail_arrives_in_chinese(
    client, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/zh-hans/experts/request/", expert_data())
    assert response.status_code == 302
    support_request = SupportRequest.objects.get()
    run_mail_jobs()

    (requester,) = smtp.mailbox.to("wang@example.cn")
    text = body_of(requester)
    assert_written_in("zh-hans", text, RequestKind.EXPERT_DISPATCH)
    assert "日本地方政府国际合作专家派遣项目" in text
    start = support_request.wished_start
    assert f"{start.year}年{start.month}月{start.day}日" in text
    assert f"/zh-hans/support/track/{support_request.token}/" in text
    assert len(smtp.mailbox.to(DESK)) == 1
    assert "有机农业技术" in body_of(smtp.mailbox.to(DESK)[0])

    # Later mail keeps the requester's language, whoever sends it.
    staff = UserFactory()
    with translation.override("ja"), django_capture_on_commit_callbacks(execute=True):
        support_request_change_status(
            request=support_request, status="arranging", user=staff
        )
        support_request_post_message(
            request=support_request, body="请告知参加人数。", user=staff
        )
    run_mail_jobs()
    status_mail, message_mail = smtp.mailbox.to("wang@example.cn")[1:]
    # An expert request's step, named as an expert dispatch's (experts/steps.py).
    with translation.override("zh-hans"):
        assert str(EXPERT_DISPATCH_STEPS["arranging"]) in body_of(status_mail)
    assert "请告知参加人数。" in body_of(message_mail)
    assert f"/zh-hans/support/track/{support_request.token}/" in body_of(message_mail)


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_no_mail_and_no_job():
    """procrastinate's Django connector defers on Django's connection, in the
    transaction that writes the mail."""
    support_request = SupportRequestFactory()
    jobs_before = mail_jobs().count()
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_queue(
            to=[support_request.email],
            template="support_requests/email/received",
            context={"request": support_request, "site_url": "https://example.org"},
            language="ja",
        )
        assert mail_jobs().count() == jobs_before + 1
        raise RuntimeError("the request failed after the mail was written")
    assert not OutgoingMail.objects.exists()
    assert mail_jobs().count() == jobs_before


def test_a_mail_server_that_is_down_loses_nothing(
    client, settings, committed_brochures
):
    """Transactional: the request commits, the senders run after it."""
    port = free_port()  # nothing listens there yet
    use_smtp(settings, port)
    response = client.post("/ja/support/request/", activity_data(), follow=True)
    assert response.status_code == 200
    support_request = SupportRequest.objects.get()
    assert support_request.reference in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?submitted=1")
    assert OutgoingMail.objects.pending().count() == 2  # the request sent nothing

    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("send_pending_mail", stdout=out)
    assert "0 sent, 2 still pending, 0 interrupted." in out.getvalue()
    pending = list(OutgoingMail.objects.pending())
    assert len(pending) == 2
    for mail in pending:
        assert mail.attempts == 1
        assert "ConnectionRefusedError" in mail.last_error

    server = SmtpServer(port).start()
    try:
        out = io.StringIO()
        call_command("send_pending_mail", stdout=out)
        assert "2 sent, 0 still pending, 0 interrupted." in out.getvalue()
        call_command("send_pending_mail", stdout=out)
        assert "0 sent, 0 still pending, 0 interrupted." in out.getvalue()
        assert len(server.mailbox.to("hida@example.jp")) == 1
        assert len(server.mailbox.to(DESK)) == 1
    finally:
        server.stop()
    assert OutgoingMail.objects.pending().count() == 0
    assert OutgoingMail.objects.filter(sent_at__isnull=False).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_mail_on_a_closed_request_never_sends_the_requester_to_its_page_to_reply(
    language, settings
):
    """The tracking page of a closed request takes no reply: the mails said
    "write to the office on your request's page". The desk's notice of a
    reply by mail says the request is closed, which no queue shows."""
    from support_requests.services import (
        support_request_change_status,
        support_request_post_message,
    )

    settings.SUPPORT_DESK_EMAILS = ["desk@example.org"]
    request = SupportRequestFactory(language=language)
    staff = UserFactory()
    support_request_change_status(request=request, status="completed", user=staff)
    request.refresh_from_db()
    support_request_post_message(request=request, body="最終報告をどうぞ。", user=staff)
    support_request_post_message(request=request, body="報告書を送ります。")
    with translation.override(language):
        invite = gettext(
            "You can see the details and write to the office on your "
            "request's private page:"
        )
        reply_here = gettext(
            "Answer by replying to this mail, or on your request's private page:"
        )
        closed = gettext(
            "The request is closed. For anything more about it, answer this "
            "mail. Its details stay on its private page:"
        )
    bodies = [m.body for m in OutgoingMail.objects.filter(recipients=request.email)]
    assert len(bodies) == 2  # the status change and the office's message
    assert not any(invite in body or reply_here in body for body in bodies)
    assert closed in bodies[0] or closed in bodies[1]
    desk = OutgoingMail.objects.get(recipients="desk@example.org")
    with translation.override(desk.language):
        status = str(request.get_status_display())
        told = gettext(
            "This request is closed (%(status)s): the desk home lists it under "
            '"closed, written to since" until someone answers it, adds an '
            "internal note or changes its status."
        ) % {"status": status}
    assert told in desk.body
