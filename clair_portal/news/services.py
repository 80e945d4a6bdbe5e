"""Writes of the news beyond the admin's own."""

import datetime

from django.db.models import F

from .models import NewsItem

# The worker's job runs every minute; a window twice as long misses no item
# when a run is late.
DUE_WINDOW = datetime.timedelta(minutes=2)


def news_retire_pages_of_due_items(*, now: datetime.datetime) -> int:
    """Published news whose time came within DUE_WINDOW before `now`: touch
    their rows, so the page cache's trigger gives the news table a new token
    and the cached pages that list news (home, list, archive, sitemap) are
    rendered afresh with them. Returns how many.

    Side effects: an UPDATE of those rows that changes no value."""
    return NewsItem.objects.filter(
        status=NewsItem.Status.PUBLISHED,
        published_at__gt=now - DUE_WINDOW,
        published_at__lte=now,
    ).update(status=F("status"))
