from django.core.management.base import BaseCommand

from clair_portal.foundation.mail import mail_send_pending
from clair_portal.foundation.models import OutgoingMail


class Command(BaseCommand):
    help = (
        "Send the pending mail at once, as the worker's periodic job does every "
        "minute. Exits 1 while some mail stays pending or is interrupted."
    )

    def handle(self, *args, **options):
        sent, failed = mail_send_pending()
        interrupted = OutgoingMail.objects.interrupted().count()
        self.stdout.write(
            f"{sent} sent, {failed} still pending, {interrupted} interrupted."
        )
        if failed or interrupted:
            raise SystemExit(1)
