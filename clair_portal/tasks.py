"""The worker's jobs (`manage.py procrastinate worker`; procrastinate's Django
app imports every app's tasks.py)."""

from procrastinate.contrib.django import app

from . import mail


@app.task
def send_mail(mail_id: int) -> None:
    """Deferred by mail_queue in the transaction that writes the mail."""
    mail.mail_send(mail_id=mail_id)


# One run at a time: with the mail server down, a run can outlast the minute.
@app.periodic(cron="* * * * *")
@app.task(queueing_lock="send_pending_mail")
def send_pending_mail(timestamp: int) -> None:
    """Every minute: the mail that a failure of the mail server left pending."""
    mail.mail_send_pending()
