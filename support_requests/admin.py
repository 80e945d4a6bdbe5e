from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clair_portal.admin import (
    ExportAdminMixin,
    FiscalYearRecordMixin,
    PhotoInline,
    ProgramAdmin,
    TranslatedAdmin,
)
from clair_portal.models import JapaneseLocalGovernment

from .models import SupportExample, SupportRequest, SupportService, SupportYearlyFigure
from .resources import (
    SupportExampleResource,
    SupportRequestResource,
    SupportServiceResource,
    SupportYearlyFigureResource,
)


class PrefectureFilter(admin.SimpleListFilter):
    """The requesting government's prefecture, the prefecture itself included."""

    title = _("prefecture")
    parameter_name = "prefecture"

    def lookups(self, request, model_admin):
        prefectures = JapaneseLocalGovernment.objects.filter(
            Q(support_requests__isnull=False)
            | Q(municipalities__support_requests__isnull=False),
            kind=JapaneseLocalGovernment.Kind.PREFECTURE,
        ).distinct()
        return [(prefecture.pk, prefecture.name) for prefecture in prefectures]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Q(government=self.value()) | Q(government__prefecture=self.value())
            )
        return queryset


@admin.register(SupportService)
class SupportServiceAdmin(TranslatedAdmin):
    resource_classes = [SupportServiceResource]
    list_display = ["name", "code", "position"]
    search_fields = ["code", "name"]


@admin.register(SupportRequest)
class SupportRequestAdmin(ExportAdminMixin, admin.ModelAdmin):
    # Export only: requests come in through the public form, never a file.
    resource_classes = [SupportRequestResource]
    list_display = [
        "reference",
        "government",
        "kind",
        "status",
        "fiscal_year",
        "assignee",
        "created_at",
    ]
    list_filter = [
        "status",
        "kind",
        "fiscal_year",
        PrefectureFilter,
        ("assignee", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["government", "assignee"]
    search_fields = ["reference", "contact_name", "email", "department"]
    autocomplete_fields = ["government"]
    filter_horizontal = ["services"]
    readonly_fields = ["token", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "kind",
                    "status",
                    "fiscal_year",
                    "assignee",
                    "language",
                ]
            },
        ),
        (
            _("requester"),
            {"fields": ["government", "department", "contact_name", "email", "phone"]},
        ),
        (
            _("activity support"),
            {
                "fields": [
                    "purpose",
                    ("stay_start", "stay_end"),
                    "destinations",
                    ("delegation_leader", "delegation_size"),
                    "services",
                ]
            },
        ),
        (
            _("overseas research"),
            {"fields": ["research_subject", "research_questions", "needed_by"]},
        ),
        (_("tracking"), {"fields": ["token", "created_at", "updated_at"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = get_user_model().objects.filter(
                is_staff=True, is_active=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SupportYearlyFigure)
class SupportYearlyFigureAdmin(ProgramAdmin):
    resource_classes = [SupportYearlyFigureResource]
    list_display = ["fiscal_year", "kind", "count"]
    list_filter = ["fiscal_year", "kind"]
    inlines = [PhotoInline]


@admin.register(SupportExample)
class SupportExampleAdmin(FiscalYearRecordMixin, TranslatedAdmin):
    resource_classes = [SupportExampleResource]
    list_display = ["title", "fiscal_year", "places", "position"]
    search_fields = ["title", "places", "participants"]
    autocomplete_fields = ["governments"]
