from django.views.generic import TemplateView

from clair_portal.foundation.cells import END_DATE, FISCAL_YEAR, START_DATE
from clair_portal.foundation.models import Program
from clair_portal.foundation.opendata import table_csv
from clair_portal.foundation.views import ProgramPageMixin
from support_requests.forms import ExpertRequestForm
from support_requests.views import RequestFormView, beijing_office

from . import columns
from .models import ExpertField
from .selectors import (
    dispatch_years,
    dispatches,
    dispatches_by_fiscal_year,
    experts_dispatched,
    recent_dispatches,
)


class IndexView(ProgramPageMixin, TemplateView):
    program = Program.EXPERTS
    template_name = "experts/index.html"

    def get_context_data(self, **kwargs):
        years = dispatch_years()
        listed = recent_dispatches(years.recent)
        return super().get_context_data(
            experts_dispatched=experts_dispatched(),
            fields=ExpertField.objects.all(),
            years=dispatches_by_fiscal_year(listed),
            dispatches_listed=listed,
            recent_years=years.recent,
            earlier_years=years.earlier,
            **kwargs,
        )


class ExpertRequestView(RequestFormView):
    """A Chinese local government asks for an expert: the guidance first, then
    the form; the same confirmation and tracking as support requests."""

    template_name = "experts/request.html"
    form_class = ExpertRequestForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            office=beijing_office(),
            fields=ExpertField.objects.all(),
            **kwargs,
        )


def dispatches_csv(request):
    return table_csv(
        "dispatches.csv",
        dispatches(),
        [FISCAL_YEAR, START_DATE, END_DATE, *columns.DISPATCH],
    )
