from django.contrib import admin

from clair_portal.admin import FiscalYearRecordMixin, TranslatedAdmin

from .models import JetFigure, JetPlacement, ReturneeGathering


@admin.register(JetFigure)
class JetFigureAdmin(admin.ModelAdmin):
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


@admin.register(JetPlacement)
class JetPlacementAdmin(TranslatedAdmin):
    list_display = ["fiscal_year", "position", "placement", "count", "edition"]
    list_filter = ["fiscal_year", "position", "edition"]
    list_select_related = ["edition"]
    search_fields = ["placement"]


@admin.register(ReturneeGathering)
class ReturneeGatheringAdmin(FiscalYearRecordMixin, TranslatedAdmin):
    list_display = ["title", "fiscal_year", "start_date", "city"]
    list_filter = [
        "fiscal_year",
        ("city", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["city"]
    search_fields = ["title"]
    autocomplete_fields = ["city"]
