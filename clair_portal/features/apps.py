from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeaturesConfig(AppConfig):
    """The features over every program: the brochure (page, PDF, CSV), the
    home and office pages, sitemaps, the calendar, check_data, the load
    generator. No models: an app for its templates and commands."""

    name = "clair_portal.features"
    label = "portal_features"
    verbose_name = _("Brochure and site")
