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


def site_sections(request):
    """The program navigation, with the section the visitor is in marked."""
    sections = []
    for name, label in SECTIONS:
        url = reverse(name)
        sections.append(
            {"url": url, "label": label, "current": request.path.startswith(url)}
        )
    return {"site_sections": sections}
