from django.urls import path

from . import views

app_name = "seminars"
urlpatterns = [
    path("", views.SeminarListView.as_view(), name="list"),
    path("seminars.csv", views.seminars_csv, name="csv"),
    path("<int:edition>/", views.SeminarDetailView.as_view(), name="detail"),
]
