"""What the site's search finds of the support program: the published
examples only, never a request (clair_portal.foundation.searchable)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.searchable import SearchSource, register_search_source

from .models import SupportExample

register_search_source(
    SearchSource(
        model=SupportExample,
        kind=_("Support example"),
        fields=("title", "places", "participants", "support_content"),
        title=lambda row: row["title"],
        url=lambda row: reverse("support_requests:index"),
        date="start_date",
    )
)
