from django.urls import path

from . import views

app_name = "experts"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("dispatches.csv", views.dispatches_csv, name="csv"),
    path("request/", views.ExpertRequestView.as_view(), name="request"),
]
