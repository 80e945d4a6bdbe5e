from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_translation_fields

from clair_portal.foundation.admin import (
    FiscalYearRecordMixin,
    PhotoInline,
    PlaceListFilter,
    TranslatedAdmin,
    TranslatedStackedInline,
    TranslatedTabularInline,
)

from .models import Seminar, SeminarOrganiser, SeminarProgrammeDay
from .resources import (
    SeminarOrganiserResource,
    SeminarProgrammeDayResource,
    SeminarResource,
)


class SeminarOrganiserInline(TranslatedTabularInline):
    model = SeminarOrganiser
    fields = ["position", "role", "name"]


class SeminarProgrammeDayInline(TranslatedStackedInline):
    model = SeminarProgrammeDay


@admin.register(Seminar)
class SeminarAdmin(FiscalYearRecordMixin, TranslatedAdmin):
    # The organisers and programme days are edited inline: exported and
    # imported here too, as resources of their own.
    resource_classes = [
        SeminarResource,
        SeminarOrganiserResource,
        SeminarProgrammeDayResource,
    ]
    list_display = [
        "edition",
        "fiscal_year",
        "host_city",
        "theme",
        "participants_total",
    ]
    list_filter = [
        "fiscal_year",
        ("host_city", PlaceListFilter),
    ]
    list_select_related = ["host_city"]
    search_fields = ["theme", *get_translation_fields("host_city__name")]
    autocomplete_fields = ["host_city"]
    inlines = [SeminarOrganiserInline, SeminarProgrammeDayInline, PhotoInline]

    @admin.display(description=_("participants"))
    def participants_total(self, seminar):
        return seminar.participants_total
