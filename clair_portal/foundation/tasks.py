"""The worker's jobs (`manage.py procrastinate worker`; procrastinate's Django
app imports every app's tasks.py). Each is named after its function, not
its module, so that a queued job survives a module's move."""

from django.core.mail import mail_admins
from procrastinate.contrib.django import app

from . import mail


@app.task(name="send_mail")
def send_mail(mail_id: int) -> None:
    """Deferred by mail_queue in the transaction that writes the mail."""
    mail.mail_send(mail_id=mail_id)


# One run at a time: with the mail server down, a run can outlast the minute.
@app.periodic(cron="* * * * *")
@app.task(name="send_pending_mail", queueing_lock="send_pending_mail")
def send_pending_mail(timestamp: int) -> None:
    """Every minute: the mail that a failure of the mail server left pending."""
    mail.mail_send_pending()


# Retried: unlike the outbox's mail, an error report has no row to fall back to.
@app.task(name="send_error_mail", retry=5)
def send_error_mail(subject: str, message: str, html_message: str | None) -> None:
    """Deferred by the error log's mail handler (clair_portal.foundation.logging): the
    report of a server error to ADMINS, sent here rather than in the failing
    request. Its text stays in the job's row, which only superusers see."""
    mail_admins(subject, message, html_message=html_message)
