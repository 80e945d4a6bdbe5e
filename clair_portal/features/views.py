"""The pages over every program: the home page and the office's page."""

from django.views.generic import TemplateView
from modeltranslation.utils import get_translation_fields

from clair_portal.foundation.models import BrochureEdition, StaffMember
from clair_portal.foundation.selectors import RECENT_EDITIONS
from seminars.models import Seminar

from .home import headline_figures


class HomeView(TemplateView):
    template_name = "clair_portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            figures=headline_figures(),
            latest_seminar=Seminar.objects.select_related("host_city__province")
            .order_by("-edition")
            .first(),
            **kwargs,
        )


class OfficeView(TemplateView):
    template_name = "clair_portal/office.html"

    def get_context_data(self, **kwargs):
        # The newest editions with their greetings: the newest's overview and
        # greeting lead the page, the others' are its archive.
        editions = list(
            BrochureEdition.objects.select_related("greeting__director")
            .defer(*get_translation_fields("staff_note"))
            .order_by("-year")[:RECENT_EDITIONS]
        )
        for edition in editions:
            edition.printed_greeting = getattr(edition, "greeting", None)
        staff = StaffMember.objects.select_related("edition").order_by(
            "-edition__year", "position"
        )
        return super().get_context_data(
            edition=editions[0] if editions else None,
            greeting=editions[0].printed_greeting if editions else None,
            earlier_editions=editions[1:],
            staff=staff,
            **kwargs,
        )
