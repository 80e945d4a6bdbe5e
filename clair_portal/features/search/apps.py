from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The site's search over every program: an index of what each app
    declares searchable (clair_portal.foundation.searchable), kept in
    PostgreSQL with a trigram index."""

    name = "clair_portal.features.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from .index import connect_signals

        connect_signals()
