from django.urls import path

from . import views

app_name = "support_requests"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
]
