from django.urls import path

from clair_portal.foundation.models import (
    BrochureEdition,
    ChineseLocalGovernment,
    Photo,
    ProgramIntro,
)
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
                BrochureEdition,
                ChineseLocalGovernment,
                Photo,
                ProgramIntro,
            ),
        ),
        name="index",
    ),
    path("figures.csv", views.figures_csv, name="csv"),
]
