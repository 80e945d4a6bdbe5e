"""Anyone can send mail to a reply address: a crafted mail is filed within
bounds of time and memory, as unsorted mail that keeps what staff need to
read it, and never stops the mailbox being read (a mail that failed each
run would be read again each run)."""

import pytest

from support_requests import reply_mail
from support_requests.models import RequestMessage, UnsortedMail
from support_requests.reply_address import reply_address
from support_requests.reply_mail import reply_mail_receive
from support_requests.tasks import read_reply_mail
from tests import factories
from tests.bounds import MiB, measured

from .helpers import PDF
from .test_reply_mail import reply

pytestmark = pytest.mark.django_db

HEAD = (
    "From: 飛騨太郎 <hida@example.jp>\r\nTo: {to}\r\nSubject: Re: files\r\n"
    "Message-ID: <{name}@example.jp>\r\nMIME-Version: 1.0\r\n"
)


def nested(to, depth):
    """Multiparts inside multiparts, `depth` deep (135 KB for 2,000): Python's
    parser took 21 s over it, then failed with RecursionError."""
    body = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'
        for i in range(depth)
    )
    body += "Content-Type: text/plain\r\n\r\nhello\r\n"
    body += "".join(f"--b{i}--\r\n" for i in reversed(range(depth)))
    return (HEAD.format(to=to, name="nested") + body).encode()


def many_files(to, count):
    """`count` small attachments (1.9 MB for 20,000): 30 s to parse."""
    part = (
        "--B\r\nContent-Type: application/pdf\r\n"
        "Content-Disposition: attachment; filename=a.pdf\r\n\r\nJVBERi0=\r\n"
    )
    return (
        HEAD.format(to=to, name="many")
        + 'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        + part * count
        + "--B--\r\n"
    ).encode()


@pytest.mark.parametrize(
    "crafted",
    [lambda to: nested(to, 2000), lambda to: many_files(to, 20000)],
    ids=["2000 nested parts", "20000 files"],
)
def test_a_crafted_mail_is_kept_unread_within_bounds(crafted):
    support_request = factories.SupportRequestFactory()
    raw = crafted(reply_address(support_request))

    with measured() as figures:
        result = reply_mail_receive(raw=raw)

    assert result is None
    assert figures["seconds"] < 1.0, figures
    assert figures["peak"] < 16 * MiB, figures
    unsorted = UnsortedMail.objects.get()
    assert unsorted.reason == UnsortedMail.Reason.UNREADABLE
    assert unsorted.sender == "飛騨太郎 <hida@example.jp>"
    assert unsorted.recipient == reply_address(support_request)
    assert unsorted.body.startswith("From: ")
    assert len(unsorted.body) <= reply_mail.KEPT_OF_UNREADABLE
    assert not RequestMessage.objects.exists()


def test_more_files_than_a_message_takes_are_refused_before_they_are_checked():
    support_request = factories.SupportRequestFactory()
    files = [(f"{n}.pdf", PDF, "application/pdf") for n in range(20)]
    raw = reply(reply_address(support_request), files=files)

    with measured() as figures:
        result = reply_mail_receive(raw=raw)

    assert result is None
    assert figures["seconds"] < 1.0, figures
    assert UnsortedMail.objects.get().reason == UnsortedMail.Reason.REFUSED


def test_nul_characters_and_an_unknown_charset_file_the_mail():
    support_request = factories.SupportRequestFactory()
    raw = reply(reply_address(support_request), body="了解\x00です")
    assert reply_mail_receive(raw=raw).body == "了解です"  # plain_text.clean_text

    unknown_charset = (
        HEAD.format(to=reply_address(support_request), name="charset")
        + 'Content-Type: text/plain; charset="x-no-such-charset"\r\n\r\nhello\r\n'
    ).encode()
    assert reply_mail_receive(raw=unknown_charset) is None
    assert UnsortedMail.objects.get().reason == UnsortedMail.Reason.UNREADABLE


def test_the_mailbox_is_read_past_a_crafted_or_oversized_mail(imap, monkeypatch):
    support_request = factories.SupportRequestFactory()
    address = reply_address(support_request)
    monkeypatch.setattr(reply_mail, "MAX_MAIL_SIZE", 100_000)
    imap.deliver(many_files(address, 2000))  # 190 KB: over the size
    imap.deliver(nested(address, 2000)[:90_000])  # under it, but crafted
    imap.deliver(reply(address, body="届きましたか。"))

    read_reply_mail(timestamp=0)

    assert RequestMessage.objects.get().body == "届きましたか。"
    reasons = sorted(UnsortedMail.objects.values_list("reason", flat=True))
    assert reasons == [UnsortedMail.Reason.TOO_LARGE, UnsortedMail.Reason.UNREADABLE]
    # The oversized mail stays in the mailbox for a person, flagged, and is
    # not read again.
    assert imap.count() == 1
    read_reply_mail(timestamp=0)
    assert UnsortedMail.objects.count() == 2
