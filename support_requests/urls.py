from django.urls import path, register_converter

from clair_portal.foundation.editions import PROGRAM_TEXT_READS
from clair_portal.foundation.models import JapaneseLocalGovernment, OfficeContact
from clair_portal.foundation.page_cache import cache_public_page

from . import views
from .models import SupportExample, SupportRequest, SupportService, SupportYearlyFigure


class TrackingTokenConverter:
    """A tracking token's characters (secrets.token_urlsafe) and nothing
    else: any other address, a NUL byte included, is a plain 404."""

    regex = "[A-Za-z0-9_-]{1,100}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TrackingTokenConverter, "tracking_token")

app_name = "support_requests"
urlpatterns = [
    path(
        "",
        # Counts the requests taken up: retired by each new request or
        # status change, never by a message or a note.
        cache_public_page(
            views.IndexView.as_view(),
            reads=(
                SupportRequest,
                SupportYearlyFigure,
                SupportExample,
                SupportService,
                JapaneseLocalGovernment,
                *PROGRAM_TEXT_READS,
            ),
        ),
        name="index",
    ),
    path("figures.csv", views.figures_csv, name="csv"),
    path(
        "request/",
        cache_public_page(
            views.SupportRequestView.as_view(),
            reads=(SupportService, OfficeContact),
            params=("kind",),
        ),
        name="request",
    ),
    path("track/<tracking_token:token>/", views.TrackView.as_view(), name="track"),
    path(
        "track/<tracking_token:token>/files/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
]
