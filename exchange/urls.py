from django.urls import path

from clair_portal.foundation.editions import PROGRAM_TEXT_READS
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
    KeyFigure,
)
from clair_portal.foundation.page_cache import cache_public_page

from . import models, views

app_name = "exchange"
urlpatterns = [
    path(
        "",
        cache_public_page(
            views.IndexView.as_view(),
            reads=(
                models.ChinaOfficeCount,
                models.LgotpPlacement,
                models.ExecutiveSeminar,
                models.TravelExpo,
                models.CookingEvent,
                models.CookingMenuItem,
                models.LivestreamPromotion,
                models.MediaCollaboration,
                ChineseLocalGovernment,
                JapaneseLocalGovernment,
                KeyFigure,
                *PROGRAM_TEXT_READS,
            ),
        ),
        name="index",
    ),
    path("lgotp.csv", views.lgotp_csv, name="lgotp_csv"),
    path("travel-expos.csv", views.travel_expos_csv, name="travel_expos_csv"),
    path("cooking-events.csv", views.cooking_events_csv, name="cooking_events_csv"),
    path("livestreams.csv", views.livestreams_csv, name="livestreams_csv"),
]
