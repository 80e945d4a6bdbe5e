"""Replies by mail: a requester who answers a mail from the desk has the
answer land in the request's thread.

The desk's mail to a requester carries a reply address with the request's
reference and a signature of it (clairbj-jp+BJ-2026-0001.<signature>@...); the
worker reads the mailbox of those addresses (IMAP_URL) every few minutes.
A mail whose address holds no reference, a forged or unknown one, or a file
that the content checks refuse never enters a request: it is kept as
unsorted mail for staff to read.
"""

import email
import email.parser
import hashlib
import html
import imaplib
import logging
import re
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import getaddresses
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from clair_portal.foundation.file_checks import (
    MAX_ATTACHMENT_SIZE,
    MAX_ATTACHMENTS,
    validate_attachment,
)
from clair_portal.foundation.plain_text import clean_line, clean_text

from .models import RequestMessage, SupportRequest, UnsortedMail
from .reply_address import reference_of
from .services import support_request_post_message

logger = logging.getLogger(__name__)

# A mail larger than its files could be is not read (5 files of 10 MB,
# base64-encoded, and the text).
MAX_MAIL_SIZE = MAX_ATTACHMENTS * MAX_ATTACHMENT_SIZE * 4 // 3 + 1024 * 1024
# Mails read per run: a full mailbox is worked through over several runs.
MAX_MAILS_PER_RUN = 50
# A reply has its text (plain and HTML) and at most MAX_ATTACHMENTS files;
# Python's parser takes seconds, and past about a thousand nested parts fails
# (RecursionError), on a crafted mail of a few hundred parts or a deep nest.
# Such a mail is counted before it is parsed, never parsed.
MAX_MIME_PARTS = 64
_PART_HEADER = re.compile(rb"^content-type:", re.IGNORECASE | re.MULTILINE)
# What an unreadable mail keeps of itself, for staff to read.
KEPT_OF_UNREADABLE = 256 * 1024
QUOTE_INTRO = re.compile(
    r"(wrote:|のメッセージ:|書きました[:：]?|写道[:：]?|-----Original Message-----)\s*$"
)
# Outlook quotes the mail it answers with no ">": under its rule (32
# underscores) and a block of headers, "差出人: ...", "送信日時: ...",
# "件名: ...". A requester's own text may hold a rule, or "From:" and "Date:"
# lines (an itinerary): only the whole block starts a quote.
OUTLOOK_RULE = re.compile(r"^_{32}\s*$")
QUOTED_FROM = re.compile(r"^\s*(From|差出人|发件人|發件人|寄件者)\s*[:：]")
QUOTED_SENT = re.compile(
    r"^\s*(Sent|Date|送信日時|日付|日時|发送时间|發送時間|寄件日期|日期)\s*[:：]"
)
QUOTED_SUBJECT = re.compile(r"^\s*(Subject|件名|主题|主題|主旨)\s*[:：]")


def _quote_starts(lines: list[str], index: int) -> bool:
    line = lines[index]
    if line.startswith(">") or line.strip() == "-----Original Message-----":
        return True
    if OUTLOOK_RULE.match(line):
        following = [text for text in lines[index + 1 : index + 4] if text.strip()]
        return bool(following) and bool(QUOTED_FROM.match(following[0]))
    if not QUOTED_FROM.match(line):
        return False
    block = lines[index + 1 : index + 6]
    return any(QUOTED_SENT.match(text) for text in block) and any(
        QUOTED_SUBJECT.match(text) for text in block
    )


_HEAD = re.compile(r"<head\b.*?</head\s*>", re.I | re.S)
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|div|li|tr|h[1-6]|blockquote)\s*>", re.I)
_CELL_END = re.compile(r"</t[dh]\s*>", re.I)
# HTML's white space (not the ideographic space of 山田　太郎).
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")


def html_text(markup: str) -> str:
    """An HTML mail's text: a line per paragraph, line break or block, cells
    apart, no head (title, style sheet) or script, entities read (&amp; is &).
    The source's own line breaks and indentation are only spaces in HTML.
    strip_tags() kept "p{margin:0}" and "&nbsp;", and ran paragraphs together."""
    markup = _HTML_SPACE.sub(" ", _HEAD.sub("", markup))
    markup = _CELL_END.sub(" ", _BLOCK_END.sub("\n", markup))
    text = html.unescape(nh3.clean(markup, tags=set(), attributes={}))
    text = text.replace("\xa0", " ")  # &nbsp;
    return "\n".join(_HTML_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def reply_text(message: EmailMessage) -> str:
    """The text the requester wrote: the plain part (or the HTML part's text),
    without the quoted mail it answers."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_type() == "text/html":
        text = html_text(text)
    text = clean_text(text)
    all_lines = text.splitlines()
    lines = []
    for index, line in enumerate(all_lines):
        if _quote_starts(all_lines, index):
            break
        lines.append(line.rstrip())
    while lines and (not lines[-1].strip() or QUOTE_INTRO.search(lines[-1])):
        lines.pop()
    return "\n".join(lines).strip()


def _uploads(message: EmailMessage) -> list[SimpleUploadedFile]:
    uploads = []
    for part in message.iter_attachments():
        if len(uploads) == MAX_ATTACHMENTS:
            raise ValidationError("too many files")
        name = part.get_filename() or "attachment"
        content = part.get_payload(decode=True) or b""
        upload = SimpleUploadedFile(name, content, part.get_content_type())
        validate_attachment(upload)
        uploads.append(upload)
    return uploads


def _message_id(message: EmailMessage, raw: bytes) -> str:
    message_id = (message.get("Message-ID") or "").strip()
    return (
        _text(message_id)[:255] or f"<{hashlib.sha256(raw).hexdigest()}@no-message-id>"
    )


def _keep_unsorted(message, *, message_id, reason, recipient, body):
    UnsortedMail.objects.get_or_create(
        message_id=message_id,
        defaults={
            # A header may carry an override too (a sender shown reversed).
            "sender": clean_line(_text(message.get("From", "")))[:255],
            "recipient": clean_line(_text(recipient))[:255],
            "subject": clean_line(_text(message.get("Subject", "")))[:255],
            "body": clean_text(_text(body)),
            "reason": reason,
        },
    )


@transaction.atomic
def reply_mail_receive(*, raw: bytes) -> RequestMessage | None:
    """File one mail read from the mailbox: into its request's thread as the
    requester's message (with its files), or as unsorted mail. A mail read
    again (same Message-ID) is filed once. Returns the message, if any.

    Side effects: those of support_request_post_message (the desk is told), or
    an UnsortedMail row."""
    if len(_PART_HEADER.findall(raw)) > MAX_MIME_PARTS:
        unreadable_keep(raw, reason=UnsortedMail.Reason.UNREADABLE, body=_start_of(raw))
        return None
    try:
        with transaction.atomic():
            return _file(raw)
    except (RecursionError, ValueError, LookupError) as error:
        # The parser's own failures (a malformed part, an unknown charset):
        # never a failed job that would read the same mail again each run.
        logger.warning("Mail kept as unreadable: %s", error)
        unreadable_keep(raw, reason=UnsortedMail.Reason.UNREADABLE, body=_start_of(raw))
        return None


def _start_of(raw: bytes) -> str:
    return raw[:KEPT_OF_UNREADABLE].decode("utf-8", errors="replace")


def _recipients(message) -> list[str]:
    """Every address the mail was sent to, the delivery's own first."""
    return [
        address
        for header in ("Delivered-To", "X-Original-To", "To", "Cc")
        for _, address in getaddresses(message.get_all(header, []))
    ]


def _text(value) -> str:
    """Text PostgreSQL can keep (a mail may carry NUL characters)."""
    return str(value).replace("\x00", "\ufffd")


def unreadable_keep(raw_headers: bytes, *, reason: str, body: str = "") -> None:
    """Keep as unsorted mail one that is not read: its headers (from the
    first 64 KB) and, when given, the start of its text."""
    headers = email.parser.BytesHeaderParser(policy=default_policy).parsebytes(
        raw_headers[: 64 * 1024]
    )
    recipients = ", ".join(_recipients(headers))
    _keep_unsorted(
        headers,
        message_id=_message_id(headers, raw_headers),
        reason=reason,
        recipient=recipients,
        body=body,
    )


def _file(raw: bytes) -> RequestMessage | None:
    message = email.message_from_bytes(raw, policy=default_policy)
    message_id = _message_id(message, raw)
    if (
        RequestMessage.objects.filter(mail_message_id=message_id).exists()
        or UnsortedMail.objects.filter(message_id=message_id).exists()
    ):
        return None
    recipients = _recipients(message)
    reference, reason = reference_of(recipients)
    body = _text(reply_text(message))
    recipient = ", ".join(recipients)
    if reason:
        _keep_unsorted(
            message,
            message_id=message_id,
            reason=reason,
            recipient=recipient,
            body=body,
        )
        return None
    request = SupportRequest.objects.filter(reference=reference).first()
    if request is None:
        _keep_unsorted(
            message,
            message_id=message_id,
            reason=UnsortedMail.Reason.UNKNOWN,
            recipient=recipient,
            body=body,
        )
        return None
    try:
        uploads = _uploads(message)
    except ValidationError:
        _keep_unsorted(
            message,
            message_id=message_id,
            reason=UnsortedMail.Reason.REFUSED,
            recipient=recipient,
            body=body,
        )
        return None
    posted = support_request_post_message(
        request=request, body=body or "—", attachments=uploads
    )
    posted.mail_message_id = message_id
    posted.save(update_fields=["mail_message_id"])
    return posted


def mailbox_read(*, url: str) -> int:
    """Read the mailbox at `url` (imap:// or imaps://user:password@host:port/
    folder), file each mail (reply_mail_receive) and delete it from the
    mailbox once filed. Returns how many were read."""
    parts = urlsplit(url)
    secure = parts.scheme == "imaps"
    client = imaplib.IMAP4_SSL if secure else imaplib.IMAP4
    port = parts.port or (993 if secure else 143)
    folder = unquote(parts.path.strip("/")) or "INBOX"
    read = 0
    with client(parts.hostname, port, timeout=settings.EMAIL_TIMEOUT) as imap:
        imap.login(unquote(parts.username or ""), unquote(parts.password or ""))
        imap.select(folder)
        # A flagged mail was too large to read: it stays for a person, and
        # is not looked at again.
        _status, found = imap.uid("search", None, "UNDELETED UNFLAGGED")
        for uid in found[0].split()[:MAX_MAILS_PER_RUN]:
            _status, sizes = imap.uid("fetch", uid, "(RFC822.SIZE)")
            size = int(re.search(rb"RFC822\.SIZE (\d+)", sizes[0]).group(1))
            if size > MAX_MAIL_SIZE:
                logger.warning("Mail %s of %d bytes left in the mailbox", uid, size)
                _status, headers = imap.uid("fetch", uid, "(BODY.PEEK[HEADER])")
                unreadable_keep(headers[0][1], reason=UnsortedMail.Reason.TOO_LARGE)
                imap.uid("store", uid, "+FLAGS", r"(\Flagged)")
                continue
            _status, fetched = imap.uid("fetch", uid, "(BODY.PEEK[])")
            reply_mail_receive(raw=fetched[0][1])
            imap.uid("store", uid, "+FLAGS", r"(\Deleted)")
            read += 1
        imap.expunge()
    return read
