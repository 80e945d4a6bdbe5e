"""The worker's job for news published at a set time (procrastinate's Django
app imports every app's tasks.py)."""

from django.utils import timezone
from procrastinate.contrib.django import app

from .services import news_retire_pages_of_due_items


# Cached pages are kept until a table they read changes; a news item whose
# time comes changes none, so this job makes the change.
@app.periodic(cron="* * * * *")
@app.task(name="news_publish_due", queueing_lock="news_publish_due")
def news_publish_due(timestamp: int) -> None:
    """Every minute: retire the cached pages that a news item due since the
    last run should now appear on."""
    news_retire_pages_of_due_items(now=timezone.now())
