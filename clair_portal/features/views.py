"""The pages over every program: the home page and the office's page."""

from django.views.generic import TemplateView

from clair_portal.foundation.models import Greeting, ProgramIntro, StaffMember
from clair_portal.news.selectors import news_visible
from seminars.models import Seminar

from .home import headline_figures

# The newest news on the home page.
LATEST_NEWS = 3


class HomeView(TemplateView):
    template_name = "clair_portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            figures=headline_figures(),
            latest_seminar=Seminar.objects.select_related("host_city__province")
            .order_by("-edition")
            .first(),
            programs=ProgramIntro.objects.all(),
            latest_news=news_visible()[:LATEST_NEWS],
            **kwargs,
        )


class OfficeView(TemplateView):
    template_name = "clair_portal/office.html"

    def get_context_data(self, **kwargs):
        greeting = (
            Greeting.objects.select_related("edition", "director")
            .order_by("-edition__year")
            .first()
        )
        staff = StaffMember.objects.select_related("edition").order_by(
            "-edition__year", "position"
        )
        return super().get_context_data(
            greeting=greeting,
            edition=greeting.edition if greeting else None,
            staff=staff,
            **kwargs,
        )
