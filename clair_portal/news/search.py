"""What the search finds of the news and publications: visible news from its
time on, public publications."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.searchable import SearchSource, register_search_source

from .markup import plain_text
from .models import NewsItem, Publication

register_search_source(
    SearchSource(
        model=NewsItem,
        kind=_("News"),
        fields=("title", "summary", "body"),
        title=lambda row: row["title"],
        url=lambda row: reverse("news:detail", kwargs={"pk": row["pk"]}),
        extra=("pk",),
        date="published_at",
        queryset=lambda: NewsItem.objects.filter(status=NewsItem.Status.PUBLISHED),
        visible_from="published_at",
        prepare=lambda row: {**row, "body": plain_text(row["body"] or "")},
    )
)
register_search_source(
    SearchSource(
        model=Publication,
        kind=_("Publication"),
        fields=("title", "summary"),
        title=lambda row: row["title"],
        url=lambda row: reverse("publications:detail", kwargs={"pk": row["pk"]}),
        extra=("pk",),
        date="date",
        queryset=lambda: Publication.objects.filter(is_public=True),
    )
)
