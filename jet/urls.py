from django.urls import path

from . import views

app_name = "jet"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("figures.csv", views.figures_csv, name="csv"),
]
