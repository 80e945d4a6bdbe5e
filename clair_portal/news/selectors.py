"""Reads of the news and publications for the public pages."""

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import TruncDate

from clair_portal.foundation.fiscal import FiscalYear
from clair_portal.foundation.models import Photo

from .models import NewsAttachment, NewsItem, NewsLink, Publication


def news_visible() -> QuerySet[NewsItem]:
    return NewsItem.objects.visible().order_by("-published_at", "-id")


def news_fiscal_years() -> list[int]:
    """The fiscal years that have visible news, newest first (one query)."""
    return list(
        NewsItem.objects.visible()
        .annotate(year=FiscalYear(TruncDate("published_at")))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def news_with_details(queryset: QuerySet[NewsItem]) -> QuerySet[NewsItem]:
    """News with their photos, files and linked records (a query for each,
    and one per kind of record linked)."""
    return queryset.prefetch_related(
        Prefetch("photos", queryset=Photo.objects.order_by("position", "id")),
        Prefetch(
            "attachments", queryset=NewsAttachment.objects.order_by("position", "id")
        ),
        Prefetch(
            "links",
            queryset=NewsLink.objects.select_related("content_type").prefetch_related(
                "record"
            ),
        ),
    )


def publications_public() -> QuerySet[Publication]:
    return Publication.objects.filter(is_public=True).order_by("-date", "-id")
