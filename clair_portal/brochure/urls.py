from django.urls import path

from . import views

app_name = "brochure"
urlpatterns = [
    path("<int:fiscal_year>/", views.BrochureView.as_view(), name="detail"),
    path("<int:fiscal_year>.pdf", views.BrochurePdfView.as_view(), name="pdf"),
]
