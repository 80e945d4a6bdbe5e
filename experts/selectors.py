"""Reads of the experts page: dispatches grouped by fiscal year, the cumulative count."""

from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from django.db.models import Count, F, Prefetch, QuerySet, Window

from clair_portal.foundation.models import KeyFigure, Photo
from clair_portal.foundation.selectors import (
    FiscalYears,
    HeadlineFigure,
    Listed,
    cumulative_figure,
    fiscal_years,
    section_records,
)

from .models import ExpertDispatch


@dataclass(frozen=True)
class DispatchYear:
    fiscal_year: int
    dispatches: list[ExpertDispatch]  # those listed: the newest, when cut
    photos: list[Photo]
    total: int  # the year's dispatches


def dispatches() -> QuerySet[ExpertDispatch]:
    """Dispatches with what the table shows, newest fiscal year first, each year
    in the order of its dates."""
    return ExpertDispatch.objects.select_related(
        "destination__province", "field"
    ).order_by("-fiscal_year", "start_date", "id")


def dispatch_years() -> FiscalYears:
    """The fiscal years with dispatches: the recent ones the page lists, the
    earlier ones it links to their brochure."""
    return fiscal_years(ExpertDispatch.objects.all())


def recent_dispatches(fiscal_years: list[int]) -> Listed:
    """The first dispatches of `fiscal_years` (SECTION_LIMIT) with their
    photos and their year's number of dispatches (`year_total`), in two
    queries."""
    return section_records(
        dispatches()
        .filter(fiscal_year__in=fiscal_years)
        .annotate(year_total=Window(Count("*"), partition_by=F("fiscal_year")))
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.shown()))
    )


def dispatches_by_fiscal_year(rows: list[ExpertDispatch]) -> list[DispatchYear]:
    """Dispatches (ordered by fiscal year) with their photos, per year."""
    years = []
    for fiscal_year, group in groupby(rows, key=attrgetter("fiscal_year")):
        group = list(group)
        photos = [photo for dispatch in group for photo in dispatch.photos.all()]
        years.append(DispatchYear(fiscal_year, group, photos, group[0].year_total))
    return years


def experts_dispatched() -> HeadlineFigure | None:
    """The published cumulative number plus the dispatches recorded since."""
    return cumulative_figure(
        KeyFigure.Metric.EXPERTS_DISPATCHED, ExpertDispatch.objects.all()
    )
