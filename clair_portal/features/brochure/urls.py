from django.urls import path

from clair_portal.foundation.page_cache import cache_public_page

from . import views
from .reads import BROCHURE_READS

app_name = "brochure"
urlpatterns = [
    path(
        "<int:fiscal_year>/",
        cache_public_page(views.BrochureView.as_view(), reads=BROCHURE_READS),
        name="detail",
    ),
    path(
        "<int:fiscal_year>.pdf",
        cache_public_page(views.BrochurePdfView.as_view(), reads=BROCHURE_READS),
        name="pdf",
    ),
]
