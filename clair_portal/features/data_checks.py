"""Consistency checks over published figures: what the brochures contradict.

The figures are stored as each edition published them; these checks say where
they do not agree, so that staff can ask the program's owners. They only read.
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Sum

from clair_portal.foundation.models import KeyFigure
from clair_portal.foundation.translations import missing_translation_counts
from exchange.models import ChinaOfficeCount
from experts.models import ExpertDispatch
from jet.models import JetFigure, JetPlacement, Position

CUMULATIVE_METRICS = (
    KeyFigure.Metric.LGOTP_TRAINEES,
    KeyFigure.Metric.EXECUTIVE_SEMINAR_PARTICIPANTS,
    KeyFigure.Metric.EXPERTS_DISPATCHED,
)


@dataclass(frozen=True)
class Finding:
    section: str
    message: str

    def __str__(self):
        return f"[{self.section}] {self.message}"


def jet_cumulative_falls():
    """A cumulative JET total that is lower in a later edition."""
    by_position = defaultdict(list)
    figures = JetFigure.objects.filter(cumulative__isnull=False).select_related(
        "edition"
    )
    for figure in figures.order_by("edition__year"):
        by_position[figure.position].append(figure)
    for position, figures in sorted(by_position.items()):
        for earlier, later in pairwise(figures):
            if later.cumulative < earlier.cumulative:
                yield Finding(
                    "jet",
                    f"cumulative {position} falls from {earlier.cumulative:,} "
                    f"(edition {earlier.edition.year}, FY{earlier.fiscal_year}) to "
                    f"{later.cumulative:,} (edition {later.edition.year}, FY{later.fiscal_year})",
                )


def jet_totals_that_do_not_add_up():
    """A published total that differs from the sum of its positions."""
    rows = defaultdict(dict)
    for figure in JetFigure.objects.select_related("edition"):
        rows[(figure.edition.year, figure.fiscal_year)][figure.position] = figure
    for (edition, fiscal_year), figures in sorted(rows.items()):
        total = figures.get(Position.TOTAL)
        parts = [f for p, f in figures.items() if p != Position.TOTAL]
        if total is None or not parts:
            continue
        for column in ("serving", "new", "cumulative"):
            values = [getattr(f, column) for f in parts]
            published = getattr(total, column)
            if published is None or None in values:
                continue
            if sum(values) != published:
                yield Finding(
                    "jet",
                    f"edition {edition} FY{fiscal_year}: {column} total {published:,} "
                    f"but the positions add up to {sum(values):,}",
                )


def jet_placements_that_do_not_add_up():
    """A placement breakdown whose sum differs from the serving participants."""
    sums = (
        JetPlacement.objects.values("edition__year", "fiscal_year", "position")
        .annotate(placed=Sum("count"))
        .order_by("edition__year", "fiscal_year", "position")
    )
    serving = {
        (f.edition.year, f.fiscal_year, f.position): f.serving
        for f in JetFigure.objects.select_related("edition")
    }
    for row in sums:
        key = (row["edition__year"], row["fiscal_year"], row["position"])
        published = serving.get(key)
        if published is not None and published != row["placed"]:
            yield Finding(
                "jet",
                f"edition {key[0]} FY{key[1]}: {key[2]} breakdown adds up to "
                f"{row['placed']} but {published} serving are reported",
            )


def cumulative_key_figures_that_fall():
    for metric in CUMULATIVE_METRICS:
        figures = KeyFigure.objects.filter(metric=metric).order_by("as_of")
        for earlier, later in pairwise(figures):
            if later.value < earlier.value:
                yield Finding(
                    metric,
                    f"falls from {earlier.value:,} (as of {earlier.as_of}) "
                    f"to {later.value:,} (as of {later.as_of})",
                )


def office_counts_that_do_not_add_up():
    published = {
        f.edition_id: f
        for f in KeyFigure.objects.filter(metric=KeyFigure.Metric.OFFICES_IN_CHINA)
    }
    sums = ChinaOfficeCount.objects.values("edition_id", "edition__year").annotate(
        total=Sum("count")
    )
    for row in sums.order_by("edition__year"):
        figure = published.get(row["edition_id"])
        if figure and figure.value != row["total"]:
            yield Finding(
                "offices_in_china",
                f"edition {row['edition__year']}: {figure.value} offices reported "
                f"but the locations add up to {row['total']}",
            )


def expert_totals_that_do_not_follow_dispatches():
    """A later cumulative total should be the earlier one plus the dispatches between."""
    figures = KeyFigure.objects.filter(metric=KeyFigure.Metric.EXPERTS_DISPATCHED)
    for earlier, later in pairwise(figures.order_by("as_of")):
        between = ExpertDispatch.objects.filter(
            start_date__gt=earlier.as_of, start_date__lte=later.as_of
        ).count()
        if earlier.value + between != later.value:
            yield Finding(
                KeyFigure.Metric.EXPERTS_DISPATCHED,
                f"{earlier.value} (as of {earlier.as_of}) + {between} dispatches "
                f"recorded since = {earlier.value + between}, "
                f"but {later.value} published as of {later.as_of}",
            )


def missing_translations():
    for model, count in missing_translation_counts():
        if count:
            yield Finding(
                "translations",
                f"{count} {model._meta.label} record(s) lack a translation",
            )


CHECKS = (
    jet_cumulative_falls,
    jet_totals_that_do_not_add_up,
    jet_placements_that_do_not_add_up,
    cumulative_key_figures_that_fall,
    office_counts_that_do_not_add_up,
    expert_totals_that_do_not_follow_dispatches,
    missing_translations,
)


def data_findings() -> list[Finding]:
    """Every inconsistency the checks find, in a stable order."""
    return [finding for check in CHECKS for finding in check()]
