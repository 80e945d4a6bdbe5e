from django.urls import path

from clair_portal.foundation.page_cache import cache_public_page

from . import views

app_name = "experts"
urlpatterns = [
    path("", cache_public_page(views.IndexView.as_view()), name="index"),
    path("dispatches.csv", views.dispatches_csv, name="csv"),
    path(
        "request/", cache_public_page(views.ExpertRequestView.as_view()), name="request"
    ),
]
