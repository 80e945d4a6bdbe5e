from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ClairPortalConfig(AppConfig):
    name = "clair_portal"
    verbose_name = _("Office and places")

    def ready(self):
        from .page_cache import install_content_triggers

        # Once per migrate (sent for this app only), after every app's tables.
        post_migrate.connect(install_content_triggers, sender=self)
