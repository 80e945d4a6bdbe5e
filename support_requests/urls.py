from django.urls import path

from clair_portal.page_cache import cache_public_page

from . import views

app_name = "support_requests"
urlpatterns = [
    path("", cache_public_page(views.IndexView.as_view()), name="index"),
    path("figures.csv", views.figures_csv, name="csv"),
    path(
        "request/",
        cache_public_page(views.SupportRequestView.as_view()),
        name="request",
    ),
    path("track/<str:token>/", views.TrackView.as_view(), name="track"),
    path(
        "track/<str:token>/files/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
]
