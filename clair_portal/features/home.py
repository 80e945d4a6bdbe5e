"""The home page: key figures, the newest records and the next events,
gathered from every program."""

import functools
from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.compiled_sql import Compiled, compile_query, fetch
from clair_portal.foundation.models import KeyFigure
from clair_portal.foundation.selectors import (
    HeadlineFigure,
    latest_key_figures,
    published_plus_records,
)
from exchange.models import (
    CookingEvent,
    ExecutiveSeminar,
    LgotpPlacement,
    LivestreamPromotion,
    TravelExpo,
)
from experts.models import ExpertDispatch
from jet.models import JetFigure, Position, ReturneeGathering
from seminars.models import Seminar


def headline_figures() -> list[HeadlineFigure]:
    """The office's key figures: the newest published value of each, plus the
    records entered since it was published (LGOTP trainees, expert dispatches)."""
    published = latest_key_figures()
    Metric = KeyFigure.Metric
    figures = []
    for metric in (Metric.SISTER_CITIES, Metric.OFFICES_IN_CHINA):
        if metric in published:
            figure = published[metric]
            figures.append(
                HeadlineFigure(figure.get_metric_display(), figure.value, figure.as_of)
            )
    jet_total = (
        JetFigure.objects.filter(position=Position.TOTAL, cumulative__isnull=False)
        .select_related("edition")
        .order_by("-edition__year", "-fiscal_year")
        .first()
    )
    if jet_total:
        figures.append(
            HeadlineFigure(
                _("JET participants from China"),
                jet_total.cumulative,
                date(jet_total.fiscal_year, 4, 1),
            )
        )
    since = {
        Metric.LGOTP_TRAINEES: LgotpPlacement.objects.values("fiscal_year"),
        Metric.EXPERTS_DISPATCHED: ExpertDispatch.objects.values("fiscal_year"),
    }
    for metric, rows in since.items():
        if metric in published:
            figures.append(published_plus_records(published[metric], rows))
    return figures


# The newest records and the next events across programs --------------------------


@dataclass(frozen=True)
class ProgramRecord:
    """A dated record of a program, as the home page lists it."""

    label: str
    start: date
    url: str


def _sources():
    """(model, label, URL of a record given its edition) of every program's
    dated records; a seminar links to its own page, others to their section."""
    return [
        (
            Seminar,
            _("Japan-China Regional Exchange Seminar"),
            lambda edition: reverse("seminars:detail", args=[edition]),
        ),
        (
            ExecutiveSeminar,
            _("Executive exchange seminar"),
            lambda _edition: reverse("exchange:index") + "#executive-seminar",
        ),
        (
            TravelExpo,
            _("Travel expo exhibitions"),
            lambda _edition: reverse("exchange:index") + "#travel-expos",
        ),
        (
            CookingEvent,
            _("Cooking experience events"),
            lambda _edition: reverse("exchange:index") + "#cooking",
        ),
        (
            LivestreamPromotion,
            _("Livestream promotion"),
            lambda _edition: reverse("exchange:index") + "#livestreams",
        ),
        (
            ExpertDispatch,
            _("Expert dispatch"),
            lambda _edition: reverse("experts:index"),
        ),
        (
            ReturneeGathering,
            _("JET returnee gathering"),
            lambda _edition: reverse("jet:index"),
        ),
    ]


def program_record_models() -> tuple:
    """The models program_records() reads (the home page's cache declares them)."""
    return tuple(model for model, _label, _url in _sources())


# A day no record starts on, compiled into the query as a parameter and
# replaced by today when it runs.
_ANY_DAY = date(1, 1, 1)


@functools.cache
def _program_records_sql(*, upcoming: bool, limit: int) -> Compiled:
    """The query of program_records(), compiled once per process: building
    and compiling its seven parts took three times as long as running it (4
    of the home page's 20 ms, twice). It depends on the sources alone."""
    condition = {"start_date__gte" if upcoming else "start_date__lt": _ANY_DAY}
    # One text column per record, "YYYY-MM-DD kind edition": the parts of a
    # UNION must select their columns in one order, and Django may order a
    # query's annotations differently from another's; ISO dates sort as text.
    queries = [
        model.objects.filter(**condition)
        .order_by()
        .annotate(
            key=Concat(
                Cast("start_date", CharField()),
                Value(f" {index} "),
                Cast("edition", CharField()) if model is Seminar else Value("0"),
                output_field=CharField(),
            )
        )
        .values_list("key", flat=True)
        for index, (model, _label, _url) in enumerate(_sources())
    ]
    first, *others = queries
    keys = first.union(*others, all=True).order_by("key" if upcoming else "-key")
    return compile_query(keys[:limit], _ANY_DAY)


def program_records(*, today: date, upcoming: bool, limit: int) -> list[ProgramRecord]:
    """The next events (upcoming) or the newest records (past) of every
    program, newest or soonest first, in one query."""
    sources = _sources()
    compiled = _program_records_sql(upcoming=upcoming, limit=limit)
    keys = [key for (key,) in fetch(compiled, {_ANY_DAY: today})]
    rows = []
    for key in keys:
        day, kind, edition = key.split(" ")
        rows.append((int(kind), date.fromisoformat(day), int(edition)))
    return [
        ProgramRecord(str(sources[kind][1]), start, sources[kind][2](edition))
        for kind, start, edition in rows
    ]
