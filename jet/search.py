"""What the site's search finds of the JET Programme
(clair_portal.foundation.searchable)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.searchable import SearchSource, register_search_source

from .models import ReturneeGathering

register_search_source(
    SearchSource(
        model=ReturneeGathering,
        kind=_("JET Programme"),
        fields=("title", "description", "city__name"),
        title=lambda row: row["title"],
        url=lambda row: reverse("jet:index"),
        date="start_date",
    )
)
