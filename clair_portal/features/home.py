"""The home page's key figures, gathered from every program."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.models import KeyFigure
from clair_portal.foundation.selectors import (
    HeadlineFigure,
    latest_key_figures,
    published_plus_records,
)
from exchange.models import LgotpPlacement
from experts.models import ExpertDispatch
from jet.models import JetFigure, Position


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
