from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from clair_portal.foundation.models import Program
from clair_portal.foundation.opendata import table_csv
from clair_portal.foundation.selectors import section_records
from clair_portal.foundation.typography import fiscal_year
from clair_portal.foundation.views import ProgramPageMixin

from . import charts, columns
from .selectors import (
    COLUMNS,
    FigureTable,
    grouped,
    jet_figure_rows,
    jet_figures,
    jet_years,
    returnee_gatherings,
)


def participants_chart(tables: list[FigureTable]) -> str:
    """Cumulative and serving participants (the published totals) per fiscal
    year and edition, as SVG in the active language."""
    points = [table for table in tables if table.total is not None]
    categories = [
        fiscal_year(table.fiscal_year)
        + "\n"
        + _("(FY%(year)s edition)") % {"year": table.edition.year}
        for table in points
    ]
    summary = "; ".join(
        _(
            "FY%(year)s, FY%(edition)s edition: cumulative %(cumulative)s, "
            "serving %(serving)s"
        )
        % {
            "year": table.fiscal_year,
            "edition": table.edition.year,
            "cumulative": grouped(table.total.cumulative) or "—",
            "serving": grouped(table.total.serving) or "—",
        }
        for table in points
    )
    return charts.bar_chart(
        title=_("JET Programme participants from China per fiscal year"),
        description=_(
            "Two bar charts, as each edition published the totals. %(summary)s."
        )
        % {"summary": summary},
        categories=categories,
        series=[
            charts.Series(
                _("Cumulative participants (total)"),
                [table.total.cumulative for table in points],
                charts.ACCENT,
            ),
            charts.Series(
                _("Serving participants (total)"),
                [table.total.serving for table in points],
                charts.SECOND,
            ),
        ],
        value_axis_label=_("Number of participants"),
        category_axis_label=_("Fiscal year (brochure edition)"),
        id_prefix="jet-chart",
    )


class IndexView(ProgramPageMixin, TemplateView):
    program = Program.JET
    template_name = "jet/index.html"

    def get_context_data(self, **kwargs):
        figures = jet_figures()
        years = jet_years()
        return super().get_context_data(
            figures=figures,
            columns=COLUMNS,
            # bar_chart escapes every text it is given.
            chart=mark_safe(participants_chart(figures.chronological)),
            gatherings=section_records(returnee_gatherings(years.recent)),
            recent_years=years.recent,
            earlier_years=years.earlier,
            **kwargs,
        )


def figures_csv(request):
    return table_csv("jet-figures.csv", jet_figure_rows(), columns.JET_FIGURES)
