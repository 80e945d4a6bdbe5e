from django.urls import path

from . import views

app_name = "support_requests"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("figures.csv", views.figures_csv, name="csv"),
    path("request/", views.HowToApplyView.as_view(), name="request"),
]
