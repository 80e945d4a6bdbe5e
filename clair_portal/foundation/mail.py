"""The mail outbox: a request writes the mail and a job in its transaction; the
worker (clair_portal/foundation/tasks.py) sends it, at most once.

A mail is pending, being sent (claimed), or sent. A sender claims it in a
transaction of its own, committed before it talks to the mail server, and
records the outcome after:

- the server refuses, times out or rejects: back to pending, tried again by
  the periodic job;
- the sender dies or loses the database between the claim and the outcome:
  nobody knows whether it left, so it stays claimed and is never sent again by
  itself; the admin shows it as interrupted, and staff who checked the mail
  server's log for its Message-ID queue it again on purpose.
"""

import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, make_msgid
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutgoingMail

logger = logging.getLogger(__name__)


def mail_queue(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str,
    reply_to: str = "",
) -> OutgoingMail:
    """Render `<template>_subject.txt` and `<template>.txt` in `language` and
    keep the mail in the outbox; an answer goes to `reply_to` when given.

    Side effects: an OutgoingMail row and a job that sends it, both in the
    current transaction: the worker sends the mail once it commits, and
    nothing is sent if it rolls back."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    with transaction.atomic():
        mail = OutgoingMail.objects.create(
            recipients="\n".join(to),
            subject=subject,
            body=body,
            language=language,
            reply_to=reply_to,
        )
        _defer_sending([mail.pk])
    return mail


def mail_send(*, mail_id: int) -> bool | None:
    """Send one pending mail now, at most once: True when sent, False when the
    mail server failed (the mail stays pending), None when the mail is not
    pending (sent, being sent, interrupted or gone). Call it outside any
    transaction: the claim must be committed before the mail server is asked.

    Side effects: the claim, then the delivery and its outcome on the row. A
    database error after the claim propagates and leaves the mail claimed."""
    mail = _claim(mail_id=mail_id)
    if mail is None:
        return None
    try:
        EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=mail.recipients.split(),
            reply_to=[mail.reply_to] if mail.reply_to else None,
            headers={"Message-ID": mail.message_id},
        ).send()
    except Exception as error:  # noqa: BLE001 - any refusal leaves it pending
        error_text = f"{type(error).__name__}: {error}"
        OutgoingMail.objects.filter(pk=mail.pk).update(
            sending_started_at=None, last_error=error_text
        )
        logger.warning("Mail %s not sent, kept for later: %s", mail.pk, error_text)
        return False
    OutgoingMail.objects.filter(pk=mail.pk).update(
        sent_at=timezone.now(), last_error=""
    )
    return True


def mail_send_pending() -> tuple[int, int]:
    """Send every pending mail, oldest first: (sent, failed). Mail that another
    sender claims meanwhile is left to it.

    Side effects: those of mail_send for each; a warning in the log while some
    mail is interrupted."""
    sent = failed = 0
    pending = OutgoingMail.objects.pending().order_by("created_at")
    for mail_id in pending.values_list("pk", flat=True):
        outcome = mail_send(mail_id=mail_id)
        sent += outcome is True
        failed += outcome is False
    interrupted = OutgoingMail.objects.interrupted().count()
    if interrupted:
        logger.warning(
            "%d mail(s) interrupted while being sent: check delivery by "
            "Message-ID, then queue them again in the admin (outgoing mail).",
            interrupted,
        )
    return sent, failed


def mail_queue_pending(*, mails: QuerySet[OutgoingMail]) -> int:
    """Have the worker send the pending mail among `mails` at once; returns
    how many.

    Side effects: a sending job for each."""
    with transaction.atomic():
        mail_ids = list(mails.pending().values_list("pk", flat=True))
        _defer_sending(mail_ids)
    return len(mail_ids)


def mail_queue_interrupted(*, mails: QuerySet[OutgoingMail]) -> int:
    """Put the interrupted mail among `mails` back to pending and have the
    worker send it: for staff who checked, by its Message-ID, that it did not
    arrive. Returns how many. The Message-ID is kept, so a receiving server
    that did get it can tell the copy.

    Side effects: the rows back to pending; a sending job for each."""
    with transaction.atomic():
        interrupted = mails.interrupted().select_for_update()
        mail_ids = list(interrupted.values_list("pk", flat=True))
        OutgoingMail.objects.filter(pk__in=mail_ids).update(sending_started_at=None)
        _defer_sending(mail_ids)
    return len(mail_ids)


def _claim(*, mail_id: int) -> OutgoingMail | None:
    """Mark a pending mail as being sent, with its Message-ID, and commit."""
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.pending()
            .select_for_update(skip_locked=True)
            .filter(pk=mail_id)
            .first()
        )
        if mail is None:
            return None
        mail.sending_started_at = timezone.now()
        mail.message_id = mail.message_id or make_msgid(domain=_sender_domain())
        mail.attempts += 1
        mail.save(update_fields=["sending_started_at", "message_id", "attempts"])
    return mail


def _sender_domain() -> str:
    # The default, this machine's FQDN, may take a DNS lookup and say nothing
    # about who sent the mail.
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def _defer_sending(mail_ids: list[int]) -> None:
    from .tasks import send_mail  # tasks.py imports this module

    for mail_id in mail_ids:
        send_mail.defer(mail_id=mail_id)
