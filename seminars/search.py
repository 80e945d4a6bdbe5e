"""What the site's search finds of the seminars (clair_portal.foundation.searchable)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.searchable import SearchSource, register_search_source

from .models import Seminar

register_search_source(
    SearchSource(
        model=Seminar,
        kind=_("Seminar"),
        fields=("theme", "report", "host_city__name", "host_city__province__name"),
        title=lambda row: (
            _("Japan-China Regional Exchange Seminar No. %(edition)s")
            % {"edition": row["edition"]}
        ),
        url=lambda row: reverse("seminars:detail", kwargs={"edition": row["edition"]}),
        extra=("edition",),
        date="start_date",
    )
)
