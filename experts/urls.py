from django.urls import path

from clair_portal.foundation.editions import PROGRAM_TEXT_READS
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    KeyFigure,
    OfficeContact,
)
from clair_portal.foundation.page_cache import cache_public_page

from . import views
from .models import ExpertDispatch, ExpertField

app_name = "experts"
urlpatterns = [
    path(
        "",
        cache_public_page(
            views.IndexView.as_view(),
            reads=(
                ExpertDispatch,
                ExpertField,
                ChineseLocalGovernment,
                KeyFigure,
                *PROGRAM_TEXT_READS,
            ),
        ),
        name="index",
    ),
    path("dispatches.csv", views.dispatches_csv, name="csv"),
    path(
        "request/",
        cache_public_page(
            views.ExpertRequestView.as_view(),
            reads=(ExpertField, OfficeContact),
        ),
        name="request",
    ),
]
