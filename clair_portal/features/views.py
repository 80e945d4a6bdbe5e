"""The pages over every program: the home page and the office's page."""

from django.utils import timezone
from django.views.generic import TemplateView
from modeltranslation.utils import get_translation_fields

from clair_portal.foundation.models import BrochureEdition, StaffMember
from clair_portal.foundation.selectors import RECENT_EDITIONS
from clair_portal.news.selectors import news_visible
from seminars.models import Seminar

from .accessibility import latest_results
from .brochure.sections import available_fiscal_years
from .home import headline_figures, program_records

# The newest news on the home page.
LATEST_NEWS = 3


class HomeView(TemplateView):
    template_name = "clair_portal/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            figures=headline_figures(),
            upcoming=program_records(today=today, upcoming=True, limit=3),
            newest=program_records(today=today, upcoming=False, limit=5),
            latest_seminar=Seminar.objects.select_related("host_city__province")
            .order_by("-edition")
            .first(),
            latest_news=news_visible()[:LATEST_NEWS],
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


class PrivacyView(TemplateView):
    template_name = "clair_portal/privacy.html"


class AccessibilityView(TemplateView):
    """The accessibility policy, with the latest automated test results."""

    template_name = "clair_portal/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(results=latest_results(), **kwargs)


#: Seminars the site map links to, the latest first; the seminar list has
#: them all. (The office holds one a year: 18 in the brochures. Every one
#: made the page grow without end: 1,800 links took 1.3 s to render.)
SITE_MAP_SEMINARS = 30


class SiteMapView(TemplateView):
    """Every page of the portal in the page's language, as a list of links;
    the latest SITE_MAP_SEMINARS seminars."""

    template_name = "clair_portal/sitemap.html"

    def get_context_data(self, **kwargs):
        latest = list(
            Seminar.objects.select_related("host_city").order_by("-edition")[
                : SITE_MAP_SEMINARS + 1
            ]
        )
        return super().get_context_data(
            seminars=latest[:SITE_MAP_SEMINARS],
            earlier_seminars=len(latest) > SITE_MAP_SEMINARS,
            brochure_years=available_fiscal_years(),
            **kwargs,
        )
