from django.core.management.base import BaseCommand

from clair_portal.mail import mail_send_pending


class Command(BaseCommand):
    help = (
        "Send the mail that could not be sent when it was written (mail server down)."
    )

    def handle(self, *args, **options):
        sent, failed = mail_send_pending()
        self.stdout.write(f"{sent} sent, {failed} still pending.")
        if failed:
            raise SystemExit(1)
