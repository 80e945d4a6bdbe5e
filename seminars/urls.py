from django.urls import path

from clair_portal.page_cache import cache_public_page

from . import views

app_name = "seminars"
urlpatterns = [
    path("", cache_public_page(views.SeminarListView.as_view()), name="list"),
    path("seminars.csv", views.seminars_csv, name="csv"),
    path(
        "<int:edition>/",
        cache_public_page(views.SeminarDetailView.as_view()),
        name="detail",
    ),
]
