from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClairPortalConfig(AppConfig):
    name = "clair_portal"
    verbose_name = _("Office and places")
