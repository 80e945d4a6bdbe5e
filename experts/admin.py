from django.contrib import admin

from clair_portal.foundation.admin import (
    FiscalYearRecordMixin,
    PlaceListFilter,
    TranslatedAdmin,
)

from .models import ExpertDispatch, ExpertField
from .resources import ExpertDispatchResource, ExpertFieldResource


@admin.register(ExpertField)
class ExpertFieldAdmin(TranslatedAdmin):
    resource_classes = [ExpertFieldResource]
    list_display = ["name", "position"]
    search_fields = ["name"]


@admin.register(ExpertDispatch)
class ExpertDispatchAdmin(FiscalYearRecordMixin, TranslatedAdmin):
    resource_classes = [ExpertDispatchResource]
    list_display = ["start_date", "fiscal_year", "destination", "field", "subject"]
    list_filter = [
        "fiscal_year",
        "field",
        ("destination", PlaceListFilter),
    ]
    list_select_related = ["destination", "field"]
    search_fields = ["subject", "expert"]
    autocomplete_fields = ["destination", "expert_government"]
