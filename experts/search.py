"""What the site's search finds of the expert dispatches
(clair_portal.foundation.searchable)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.searchable import SearchSource, register_search_source

from .models import ExpertDispatch

register_search_source(
    SearchSource(
        model=ExpertDispatch,
        kind=_("Expert dispatch"),
        fields=("subject", "expert", "destination__name", "field__name"),
        title=lambda row: row["subject"],
        url=lambda row: reverse("experts:index"),
        date="start_date",
    )
)
