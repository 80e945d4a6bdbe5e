from django.contrib import admin

from clair_portal.foundation.admin import (
    FiscalYearRecordMixin,
    PlaceListFilter,
    ProgramAdmin,
    TranslatedAdmin,
)

from .models import JetFigure, JetPlacement, ReturneeGathering
from .resources import (
    JetFigureResource,
    JetPlacementResource,
    ReturneeGatheringResource,
)


@admin.register(JetFigure)
class JetFigureAdmin(ProgramAdmin):
    resource_classes = [JetFigureResource]
    list_display = [
        "fiscal_year",
        "position",
        "serving",
        "new",
        "cumulative",
        "edition",
    ]
    list_filter = ["fiscal_year", "position", "edition"]
    list_select_related = ["edition"]
    autocomplete_fields = ["edition"]


@admin.register(JetPlacement)
class JetPlacementAdmin(TranslatedAdmin):
    resource_classes = [JetPlacementResource]
    list_display = ["fiscal_year", "position", "placement", "count", "edition"]
    list_filter = ["fiscal_year", "position", "edition"]
    list_select_related = ["edition"]
    autocomplete_fields = ["edition"]
    search_fields = ["placement"]


@admin.register(ReturneeGathering)
class ReturneeGatheringAdmin(FiscalYearRecordMixin, TranslatedAdmin):
    resource_classes = [ReturneeGatheringResource]
    list_display = ["title", "fiscal_year", "start_date", "city"]
    list_filter = [
        "fiscal_year",
        ("city", PlaceListFilter),
    ]
    list_select_related = ["city"]
    search_fields = ["title"]
    autocomplete_fields = ["city"]
