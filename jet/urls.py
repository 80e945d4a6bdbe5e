from django.urls import path

from clair_portal.foundation.page_cache import cache_public_page

from . import views

app_name = "jet"
urlpatterns = [
    path("", cache_public_page(views.IndexView.as_view()), name="index"),
    path("figures.csv", views.figures_csv, name="csv"),
]
