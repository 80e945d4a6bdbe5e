from django.urls import path

from clair_portal.foundation.editions import PROGRAM_TEXT_READS
from clair_portal.foundation.models import ChineseLocalGovernment
from clair_portal.foundation.page_cache import cache_public_page

from . import views
from .models import JetFigure, JetPlacement, ReturneeGathering

app_name = "jet"
urlpatterns = [
    path(
        "",
        cache_public_page(
            views.IndexView.as_view(),
            reads=(
                JetFigure,
                JetPlacement,
                ReturneeGathering,
                ChineseLocalGovernment,
                *PROGRAM_TEXT_READS,
            ),
        ),
        name="index",
    ),
    path("figures.csv", views.figures_csv, name="csv"),
]
