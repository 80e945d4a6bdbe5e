"""Replies by mail, read from a real IMAP server (dovecot) as the worker's
job reads them: signed reply addresses, attachments through the content
checks, forged or unknown addresses to the unsorted mail."""

from email.message import EmailMessage

import pytest

from clair_portal.foundation.models import OutgoingMail
from support_requests.models import RequestMessage, UnsortedMail, WaitingFor
from support_requests.reply_address import reference_of, reply_address
from support_requests.services import support_request_post_message
from support_requests.tasks import read_reply_mail
from tests import factories

from .helpers import PDF

pytestmark = pytest.mark.django_db


def reply(to, *, body="承知しました。資料を添付します。", files=(), message_id=None):
    message = EmailMessage()
    message["From"] = "飛騨太郎 <hida@example.jp>"
    message["To"] = to
    message["Subject"] = "Re: [CLAIR北京] お問い合わせ"
    message["Message-ID"] = message_id or f"<{id(message)}@example.jp>"
    message.set_content(
        f"{body}\n\n2026年12月1日 CLAIR北京 <x@clair.org.cn> のメッセージ:\n> 前の本文\n"
    )
    for name, content, mime in files:
        maintype, subtype = mime.split("/")
        message.add_attachment(
            content, maintype=maintype, subtype=subtype, filename=name
        )
    return message.as_bytes()


def test_the_desks_mail_carries_a_signed_reply_address():
    support_request = factories.SupportRequestFactory()
    staff = factories.UserFactory()
    support_request_post_message(request=support_request, body="ご連絡", user=staff)
    mail = OutgoingMail.objects.get()
    assert mail.reply_to == reply_address(support_request)
    assert f"+{support_request.reference}." in mail.reply_to
    assert reference_of([mail.reply_to]) == (support_request.reference, "")


def test_a_reply_by_mail_lands_in_the_thread_with_its_file(imap):
    support_request = factories.SupportRequestFactory(waiting_for=WaitingFor.REQUESTER)
    imap.deliver(
        reply(
            reply_address(support_request),
            files=[("日程.pdf", PDF, "application/pdf")],
        )
    )
    read_reply_mail(timestamp=0)

    message = RequestMessage.objects.get(request=support_request)
    assert message.from_requester and not message.internal
    assert message.body == "承知しました。資料を添付します。"  # the quote cut off
    assert message.attachments.get().original_name == "日程.pdf"
    support_request.refresh_from_db()
    assert support_request.waiting_for == WaitingFor.DESK
    assert support_request.due_on is not None
    # The desk is told, and the mail left the mailbox.
    assert OutgoingMail.objects.filter(subject__contains=support_request.reference)
    assert imap.count() == 0

    # Read again (delivered twice), it is filed once.
    imap.deliver(
        reply(reply_address(support_request), message_id=message.mail_message_id)
    )
    read_reply_mail(timestamp=0)
    assert RequestMessage.objects.filter(request=support_request).count() == 1


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("clairbj-jp@clair.org.cn", UnsortedMail.Reason.NO_REFERENCE),
        (
            "clairbj-jp+{reference}.0123456789abcdef0123@clair.org.cn",
            UnsortedMail.Reason.FORGED,
        ),
        ("{other}", UnsortedMail.Reason.UNKNOWN),
    ],
)
def test_mail_without_a_valid_reference_goes_to_the_unsorted_list(
    imap, address, reason
):
    support_request = factories.SupportRequestFactory()
    # {other}: a reference that is signed but names no request.
    unknown = factories.SupportRequestFactory.build(reference="BJ-2039-9999")
    address = address.format(
        reference=support_request.reference, other=reply_address(unknown)
    )
    imap.deliver(reply(address))
    read_reply_mail(timestamp=0)

    assert not RequestMessage.objects.exists()
    unsorted = UnsortedMail.objects.get()
    assert unsorted.reason == reason
    assert unsorted.sender == "飛騨太郎 <hida@example.jp>"
    assert "承知しました" in unsorted.body


def test_a_disguised_file_keeps_the_mail_out_of_the_request(imap):
    support_request = factories.SupportRequestFactory()
    imap.deliver(
        reply(
            reply_address(support_request),
            files=[("見積.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")],
        )
    )
    read_reply_mail(timestamp=0)
    assert not RequestMessage.objects.exists()
    assert UnsortedMail.objects.get().reason == UnsortedMail.Reason.REFUSED


def test_without_imap_url_nothing_is_read(settings, imap):
    support_request = factories.SupportRequestFactory()
    imap.deliver(reply(reply_address(support_request)))
    settings.IMAP_URL = ""
    read_reply_mail(timestamp=0)
    assert imap.count() == 1
    assert not RequestMessage.objects.exists()
