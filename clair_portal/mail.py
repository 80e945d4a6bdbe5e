"""Mail that leaves only after the transaction that wrote it commits."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutgoingMail

logger = logging.getLogger(__name__)


def mail_queue(
    *, to: list[str], template: str, context: dict, language: str
) -> OutgoingMail:
    """Render `<template>_subject.txt` and `<template>.txt` in `language` and
    keep the mail in the outbox; it is sent once the current transaction
    commits (nothing is sent if it rolls back).

    Side effects: an OutgoingMail row; an SMTP delivery after commit."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    mail = OutgoingMail.objects.create(
        recipients="\n".join(to), subject=subject, body=body, language=language
    )
    # robust: the data is committed by now, so a failure here (the database
    # gone before the outcome is recorded) must not turn the response into a
    # 500 that invites the sender to submit again; the mail stays pending.
    transaction.on_commit(lambda: mail_send(mail=mail), robust=True)
    return mail


def mail_send(*, mail: OutgoingMail) -> bool:
    """Try to deliver one mail now; record the outcome. Never raises."""
    mail.attempts += 1
    try:
        EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=mail.recipients.split(),
        ).send()
    except Exception as error:  # noqa: BLE001 - any failure leaves it pending
        mail.last_error = f"{type(error).__name__}: {error}"
        mail.save(update_fields=["attempts", "last_error"])
        logger.warning("Mail %s not sent, kept for later: %s", mail.pk, mail.last_error)
        return False
    mail.sent_at = timezone.now()
    mail.last_error = ""
    mail.save(update_fields=["attempts", "last_error", "sent_at"])
    return True


def mail_send_pending() -> tuple[int, int]:
    """Send every mail still pending, oldest first: (sent, failed)."""
    sent = failed = 0
    for mail in OutgoingMail.objects.pending().order_by("created_at"):
        if mail_send(mail=mail):
            sent += 1
        else:
            failed += 1
    return sent, failed
