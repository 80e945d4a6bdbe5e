from django.urls import path

from clair_portal.foundation.page_cache import cache_public_page

from . import views
from .filters import SeminarFilter

app_name = "seminars"
urlpatterns = [
    path(
        "",
        cache_public_page(
            views.SeminarListView.as_view(),
            params=("page", *SeminarFilter.base_filters),
        ),
        name="list",
    ),
    path("seminars.csv", views.seminars_csv, name="csv"),
    path(
        "<int:edition>/",
        cache_public_page(views.SeminarDetailView.as_view()),
        name="detail",
    ),
]
