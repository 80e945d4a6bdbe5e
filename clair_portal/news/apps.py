from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    """The office's news and publications: its own content, over no program,
    linked to program records generically (as photos are)."""

    name = "clair_portal.news"
    label = "news"
    verbose_name = _("News and publications")
