"""What the site's search finds of the exchange programs
(clair_portal.foundation.searchable): each on the exchange page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.searchable import SearchSource, register_search_source

from .models import ExecutiveSeminar, LgotpPlacement, MediaCollaboration, TravelExpo


def _exchange_page(fragment=""):
    return lambda row: reverse("exchange:index") + fragment


register_search_source(
    SearchSource(
        model=ExecutiveSeminar,
        kind=_("Executive exchange seminar"),
        fields=("theme", "summary"),
        title=lambda row: row["theme"],
        url=_exchange_page(),
        date="start_date",
    )
)
register_search_source(
    SearchSource(
        model=TravelExpo,
        kind=_("Travel expo exhibitions"),
        fields=("name", "venue", "city__name"),
        title=lambda row: row["name"],
        url=_exchange_page("#travel-expos-caption"),
        date="start_date",
    )
)
register_search_source(
    SearchSource(
        model=LgotpPlacement,
        kind=_("LGOTP"),
        fields=("host__name", "sending_government__name", "training_fields"),
        title=lambda row: f"{row['host__name']} ← {row['sending_government__name']}",
        url=_exchange_page(),
    )
)
register_search_source(
    SearchSource(
        model=MediaCollaboration,
        kind=_("Media and university collaborations"),
        fields=("title", "detail"),
        title=lambda row: row["title"],
        url=_exchange_page(),
    )
)
