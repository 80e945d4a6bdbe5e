import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse


class Command(BaseCommand):
    help = "Create a local superuser 'admin' once and print its password (development only)."

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write(
                "Local admin: user 'admin' (password printed when it was created)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@localhost", password)
        url = f"http://127.0.0.1:8000{reverse('admin:index')}"
        self.stdout.write(
            f"Local admin created: {url}  user: admin  password: {password}"
        )
