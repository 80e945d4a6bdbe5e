from django.urls import path

from clair_portal.foundation.page_cache import cache_public_page

from . import views

app_name = "exchange"
urlpatterns = [
    path("", cache_public_page(views.IndexView.as_view()), name="index"),
    path("lgotp.csv", views.lgotp_csv, name="lgotp_csv"),
    path("travel-expos.csv", views.travel_expos_csv, name="travel_expos_csv"),
    path("cooking-events.csv", views.cooking_events_csv, name="cooking_events_csv"),
    path("livestreams.csv", views.livestreams_csv, name="livestreams_csv"),
]
