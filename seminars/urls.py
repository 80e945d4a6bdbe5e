from django.urls import path

from clair_portal.foundation.editions import PROGRAM_TEXT_READS
from clair_portal.foundation.models import ChineseLocalGovernment, Photo
from clair_portal.foundation.page_cache import cache_public_page

from . import views
from .filters import SeminarFilter
from .models import Seminar, SeminarOrganiser, SeminarProgrammeDay

LIST_READS = (Seminar, ChineseLocalGovernment, *PROGRAM_TEXT_READS)
DETAIL_READS = (
    Seminar,
    SeminarOrganiser,
    SeminarProgrammeDay,
    ChineseLocalGovernment,
    Photo,
)

app_name = "seminars"
urlpatterns = [
    path(
        "",
        cache_public_page(
            views.SeminarListView.as_view(),
            reads=LIST_READS,
            params=("page", *SeminarFilter.base_filters),
        ),
        name="list",
    ),
    path("seminars.csv", views.seminars_csv, name="csv"),
    path(
        "<int:edition>/",
        cache_public_page(views.SeminarDetailView.as_view(), reads=DETAIL_READS),
        name="detail",
    ),
]
