from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportRequestsConfig(AppConfig):
    name = "support_requests"
    verbose_name = _("Activity support and overseas research")
