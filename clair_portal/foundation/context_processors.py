from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SECTIONS = [
    ("seminars:list", _("Seminars")),
    ("support_requests:index", _("Support for local governments")),
    ("jet:index", _("JET Programme")),
    ("exchange:index", _("Exchange")),
    ("experts:index", _("Experts")),
    ("office", _("About the office")),
]


def public_body(request):
    """The footer's ICP filing number (ICP_NUMBER), which a site served in
    mainland China shows, linked to the MIIT's filing site."""
    return {"ICP_NUMBER": settings.ICP_NUMBER}


def site_sections(request):
    """The program navigation, with the section the visitor is in marked."""
    sections = []
    for name, label in SECTIONS:
        url = reverse(name)
        sections.append(
            {"url": url, "label": label, "current": request.path.startswith(url)}
        )
    return {"site_sections": sections}
