from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from clair_portal.models import OfficeContact, Program
from clair_portal.opendata import csv_response
from clair_portal.views import ProgramPageMixin

from .models import SupportService
from .selectors import support_counts_by_year, support_examples_by_year


class IndexView(ProgramPageMixin, TemplateView):
    program = Program.SUPPORT
    template_name = "support_requests/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            services=SupportService.objects.all(),
            counts=support_counts_by_year(),
            example_years=support_examples_by_year(),
            **kwargs,
        )


class HowToApplyView(TemplateView):
    """How a Japanese local government applies today, until the form exists."""

    template_name = "support_requests/how_to_apply.html"

    def get_context_data(self, **kwargs):
        contacts = {contact.site: contact for contact in OfficeContact.objects.all()}
        return super().get_context_data(
            tokyo=contacts.get(OfficeContact.Site.TOKYO),
            beijing=contacts.get(OfficeContact.Site.BEIJING),
            services=SupportService.objects.all(),
            **kwargs,
        )


def figures_csv(request):
    header = [
        _("Fiscal year"),
        _("Activity support"),
        _("Overseas research"),
        _("Source"),
    ]
    rows = (
        [
            row.fiscal_year,
            row.activity_support,
            row.overseas_research,
            row.source_label,
        ]
        for row in support_counts_by_year()
    )
    return csv_response("figures.csv", header, rows)
