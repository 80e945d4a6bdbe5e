"""The worker's part of mail, for tests that run inside one transaction."""

from procrastinate.contrib.django.models import ProcrastinateJob

from clair_portal.foundation.tasks import send_mail


def mail_jobs():
    """The send_mail jobs waiting in the queue, oldest first."""
    return ProcrastinateJob.objects.filter(
        task_name=send_mail.name, status="todo"
    ).order_by("id")


def run_mail_jobs() -> int:
    """Run every waiting send_mail job as the worker would, in this process:
    the jobs that a test's own transaction deferred, which a worker on another
    connection cannot see. Returns how many ran. Running them again sends
    nothing twice (the jobs stay in the queue, the mail is sent at most once)."""
    jobs = list(mail_jobs())
    for job in jobs:
        send_mail(**job.args)
    return len(jobs)
