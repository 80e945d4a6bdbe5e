"""Reads of the support page (yearly counts, the published examples) and of
the desk (its home's counts, the morning reminder's requests)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.models import Photo
from clair_portal.foundation.related_rows import places_of, with_photos
from clair_portal.foundation.selectors import (
    FiscalYears,
    Listed,
    fiscal_years,
    section_records,
)

from .models import (
    COUNTED,
    OPEN,
    WRITTEN_TO_AFTER_CLOSING,
    RequestKind,
    SupportExample,
    SupportRequest,
    SupportYearlyFigure,
    UnsortedMail,
    desk_queue_q,
)
from .working_days import add_working_days

FROM_REQUESTS = "requests"
FROM_PUBLISHED = "published"
SOURCE_LABELS = {
    FROM_REQUESTS: _("requests taken up through the portal"),
    FROM_PUBLISHED: _("figures published in the brochure"),
}


class SupportYearCounts(NamedTuple):
    fiscal_year: int
    activity_support: int | None  # None: not published for that year
    overseas_research: int | None
    source: str  # FROM_REQUESTS or FROM_PUBLISHED

    @property
    def source_label(self):
        return SOURCE_LABELS[self.source]


def counted_requests():
    """The requests the support page counts (models.COUNTED): of its two
    kinds, taken up by the desk."""
    return SupportRequest.objects.filter(COUNTED)


def support_years() -> FiscalYears:
    """The fiscal years with counts or examples, in one query: the recent ones
    the page shows, the earlier ones it links to their brochure."""
    return fiscal_years(
        counted_requests(),
        SupportYearlyFigure.objects.all(),
        SupportExample.objects.all(),
    )


def support_counts_by_year(
    fiscal_years: list[int] | None = None,
) -> list[SupportYearCounts]:
    """Activity supports and overseas researches per fiscal year (of
    `fiscal_years`, else of every year), newest first, in two queries. A year
    with requests in the portal is counted from those the desk took up; a year before the portal shows the figures the brochures
    published, a kind they did not publish as None. Only the two kinds of the
    support page are counted."""
    requests = counted_requests()
    figures = SupportYearlyFigure.objects.all()
    if fiscal_years is not None:
        requests = requests.filter(fiscal_year__in=fiscal_years)
        figures = figures.filter(fiscal_year__in=fiscal_years)
    # COUNT(*), not of a column: read from the index of counted requests alone.
    requests = requests.values_list("fiscal_year", "kind").annotate(n=Count("*"))
    counted = defaultdict(dict)
    for fiscal_year, kind, n in requests.order_by():
        counted[fiscal_year][kind] = n
    published = defaultdict(dict)
    for fiscal_year, kind, count in figures.values_list("fiscal_year", "kind", "count"):
        published[fiscal_year][kind] = count

    rows = []
    for fiscal_year in sorted(counted.keys() | published.keys(), reverse=True):
        if fiscal_year in counted:
            kinds, source, missing = counted[fiscal_year], FROM_REQUESTS, 0
        else:
            kinds, source, missing = published[fiscal_year], FROM_PUBLISHED, None
        rows.append(
            SupportYearCounts(
                fiscal_year,
                kinds.get(RequestKind.ACTIVITY_SUPPORT, missing),
                kinds.get(RequestKind.OVERSEAS_RESEARCH, missing),
                source,
            )
        )
    return rows


@dataclass(frozen=True)
class ExampleYear:
    fiscal_year: int
    examples: list[SupportExample]
    photos: list[Photo]  # the year's own photos, published with its figures


def recent_examples(fiscal_years: list[int]) -> Listed:
    """The first published examples of `fiscal_years` (SECTION_LIMIT), each
    with its photos as `photo_list` and its local governments as
    `government_places`, in one query."""
    examples = with_photos(
        SupportExample.objects.filter(fiscal_year__in=fiscal_years)
    ).annotate(government_places=places_of(SupportExample, "governments"))
    return section_records(examples.order_by("-fiscal_year", "position", "id"))


def support_examples_by_year(
    examples: list[SupportExample], fiscal_years: list[int]
) -> list[ExampleYear]:
    """`examples` (from recent_examples) per fiscal year, with the photos
    published with the figures of `fiscal_years`; newest year first, in one
    query."""
    by_year = defaultdict(list)
    for example in examples:
        by_year[example.fiscal_year].append(example)
    figure_year = SupportYearlyFigure.objects.filter(pk=OuterRef("object_id"))
    year_photos = (
        Photo.objects.shown()
        .filter(content_type=ContentType.objects.get_for_model(SupportYearlyFigure))
        .annotate(fiscal_year=Subquery(figure_year.values("fiscal_year")))
        .filter(fiscal_year__in=fiscal_years)
        .order_by("fiscal_year", "object_id", "position", "id")
    )
    photos = defaultdict(list)
    for photo in year_photos:
        photos[photo.fiscal_year].append(photo)
    return [
        ExampleYear(
            fiscal_year, by_year.get(fiscal_year, []), photos.get(fiscal_year, [])
        )
        for fiscal_year in sorted(by_year.keys() | photos.keys(), reverse=True)
    ]


# The desk ---------------------------------------------------------------------------

# "Due soon": due today or within this many working days.
DUE_SOON_WORKING_DAYS = 2


def due_soon_until(today: datetime.date) -> datetime.date:
    return add_working_days(today, DUE_SOON_WORKING_DAYS)


OPEN_QUEUES = ["new", "mine", "waiting", "due_soon", "late"]
DESK_QUEUES = [*OPEN_QUEUES, "written_after_closing"]
DESK_QUEUE_LABELS = {
    "new": _("new"),
    "mine": _("assigned to me"),
    "waiting": _("waiting for the requester"),
    "due_soon": _("due soon"),
    "late": _("late"),
    "written_after_closing": _("closed, written to since"),
}


def desk_queue(queryset, name, *, user, today):
    """The requests of one of the desk's queues (DESK_QUEUES)."""
    return queryset.filter(
        desk_queue_q(name, user=user, today=today, due_soon_until=due_soon_until(today))
    )


def desk_counts(*, user, today: datetime.date) -> dict[str, int]:
    """How many requests each of the desk's queues holds, in one query."""
    until = due_soon_until(today)
    return SupportRequest.objects.filter(OPEN | WRITTEN_TO_AFTER_CLOSING).aggregate(
        **{
            name: Count(
                "pk",
                filter=desk_queue_q(name, user=user, today=today, due_soon_until=until),
            )
            for name in DESK_QUEUES
        }
    )


def unsorted_mail_count() -> int:
    """Mail to the desk's reply address that no request took, not yet sorted."""
    return UnsortedMail.objects.filter(sorted=False).count()


def reminders_due(*, today: datetime.date):
    """{assignee: [requests]} of the requests waiting for the desk that are
    late or due by the end of the next working day, oldest due first; one
    query."""
    requests = (
        SupportRequest.objects.waiting_for_desk()
        .filter(
            assignee__isnull=False,
            assignee__is_active=True,
            due_on__lte=add_working_days(today, 1),
        )
        .exclude(assignee__email="")
        .select_related("assignee", "government", "chinese_government")
        .order_by("assignee_id", "due_on", "pk")
    )
    by_assignee = defaultdict(list)
    for request in requests:
        by_assignee[request.assignee].append(request)
    return dict(by_assignee)
