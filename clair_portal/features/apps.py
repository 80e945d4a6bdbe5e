from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FeaturesConfig(AppConfig):
    """The features over every program: the brochure (page, PDF, CSV), the
    home and office pages, sitemaps, the calendar, check_data, the load
    generator. No models: an app for its templates and commands."""

    name = "clair_portal.features"
    label = "portal_features"
    verbose_name = _("Brochure and site")

    def ready(self):
        from .staff_roles import apply_staff_roles

        # Once per migrate or flush. Sent only for apps with models, so for
        # the foundation's (this app has none).
        post_migrate.connect(
            apply_staff_roles, sender=apps.get_app_config("clair_portal")
        )
