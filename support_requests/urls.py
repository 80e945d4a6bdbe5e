from django.urls import path

from . import views

app_name = "support_requests"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("figures.csv", views.figures_csv, name="csv"),
    path("request/", views.SupportRequestView.as_view(), name="request"),
    path("track/<str:token>/", views.TrackView.as_view(), name="track"),
    path(
        "track/<str:token>/files/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
]
