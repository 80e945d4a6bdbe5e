"""Import and export of the support menu and the published figures; support
requests are exported only (see clair_portal.foundation.resources)."""

from clair_portal.foundation.resources import ExportOnlyResource, ProgramResource

from .models import SupportExample, SupportRequest, SupportService, SupportYearlyFigure


class SupportServiceResource(ProgramResource):
    class Meta:
        model = SupportService


class SupportRequestResource(ExportOnlyResource):
    """Requests as the desk works them, for reports. The tracking token is a
    requester's private key to the request: it never leaves the portal."""

    class Meta:
        model = SupportRequest
        exclude = ["token"]


class SupportYearlyFigureResource(ProgramResource):
    class Meta:
        model = SupportYearlyFigure


class SupportExampleResource(ProgramResource):
    class Meta:
        model = SupportExample
