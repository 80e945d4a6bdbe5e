from django.contrib import admin
from modeltranslation.utils import get_translation_fields

from clair_portal.foundation.admin import (
    FiscalYearRecordMixin,
    PhotoInline,
    PlaceListFilter,
    ProgramAdmin,
    TranslatedAdmin,
    TranslatedTabularInline,
)

from .models import (
    ChinaOfficeCount,
    CookingEvent,
    CookingMenuItem,
    ExecutiveSeminar,
    LgotpPlacement,
    LivestreamPromotion,
    MediaCollaboration,
    TravelExpo,
)
from .resources import (
    ChinaOfficeCountResource,
    CookingEventResource,
    CookingMenuItemResource,
    ExecutiveSeminarResource,
    LgotpPlacementResource,
    LivestreamPromotionResource,
    MediaCollaborationResource,
    TravelExpoResource,
)


@admin.register(ChinaOfficeCount)
class ChinaOfficeCountAdmin(TranslatedAdmin):
    resource_classes = [ChinaOfficeCountResource]
    list_display = ["location", "count", "edition", "position"]
    list_filter = ["edition"]
    list_select_related = ["edition"]
    autocomplete_fields = ["edition"]
    search_fields = ["location"]


@admin.register(LgotpPlacement)
class LgotpPlacementAdmin(TranslatedAdmin):
    resource_classes = [LgotpPlacementResource]
    list_display = ["fiscal_year", "host", "sending_government", "training_fields"]
    list_filter = [
        "fiscal_year",
        ("host", PlaceListFilter),
        ("sending_government", PlaceListFilter),
    ]
    list_select_related = ["host", "sending_government"]
    search_fields = ["training_fields", *get_translation_fields("host__name")]
    autocomplete_fields = ["host", "sending_government"]
    inlines = [PhotoInline]


@admin.register(ExecutiveSeminar)
class ExecutiveSeminarAdmin(FiscalYearRecordMixin, TranslatedAdmin):
    resource_classes = [ExecutiveSeminarResource]
    list_display = ["theme", "fiscal_year", "start_date", "end_date"]
    search_fields = ["theme"]
    autocomplete_fields = ["visited"]


@admin.register(TravelExpo)
class TravelExpoAdmin(FiscalYearRecordMixin, TranslatedAdmin):
    resource_classes = [TravelExpoResource]
    list_display = ["name", "start_date", "fiscal_year", "city", "venue"]
    list_filter = [
        "fiscal_year",
        ("city", PlaceListFilter),
    ]
    list_select_related = ["city"]
    search_fields = ["name", "venue"]
    autocomplete_fields = ["city", "partners"]


class CookingMenuItemInline(TranslatedTabularInline):
    model = CookingMenuItem
    fields = ["position", "name"]


@admin.register(CookingEvent)
class CookingEventAdmin(FiscalYearRecordMixin, ProgramAdmin):
    # The menu is edited inline: exported and imported here too.
    resource_classes = [CookingEventResource, CookingMenuItemResource]
    list_display = ["start_date", "fiscal_year", "city"]
    list_filter = [
        "fiscal_year",
        ("city", PlaceListFilter),
    ]
    list_select_related = ["city"]
    search_fields = get_translation_fields("menu__name")
    autocomplete_fields = ["city", "partners"]
    inlines = [CookingMenuItemInline, PhotoInline]


@admin.register(LivestreamPromotion)
class LivestreamPromotionAdmin(FiscalYearRecordMixin, TranslatedAdmin):
    resource_classes = [LivestreamPromotionResource]
    list_display = ["start_date", "fiscal_year", "platform"]
    search_fields = ["platform"]
    autocomplete_fields = ["governments"]


@admin.register(MediaCollaboration)
class MediaCollaborationAdmin(FiscalYearRecordMixin, TranslatedAdmin):
    resource_classes = [MediaCollaborationResource]
    list_display = ["title", "kind", "fiscal_year"]
    list_filter = ["fiscal_year", "kind"]
    search_fields = ["title", "detail"]
