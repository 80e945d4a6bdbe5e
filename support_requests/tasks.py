"""The support desk's jobs on the worker (procrastinate imports every app's
tasks.py). Named after their function, as clair_portal/foundation/tasks.py's."""

from django.conf import settings
from django.utils import timezone
from procrastinate.contrib.django import app

from . import reply_mail, services


# 00:30 UTC is 08:30 in Beijing (no daylight saving time): procrastinate reads
# the cron in UTC. The service skips the days the office is closed.
@app.periodic(cron="30 0 * * *")
@app.task(name="send_desk_reminders", queueing_lock="send_desk_reminders")
def send_desk_reminders(timestamp: int) -> None:
    """Every morning: each assignee's late and due requests."""
    services.desk_reminders_send(today=timezone.localdate())


@app.periodic(cron="*/5 * * * *")
@app.task(name="read_reply_mail", queueing_lock="read_reply_mail")
def read_reply_mail(timestamp: int) -> None:
    """Every five minutes: the requesters' replies by mail (IMAP_URL)."""
    if settings.IMAP_URL:
        reply_mail.mailbox_read(url=settings.IMAP_URL)
