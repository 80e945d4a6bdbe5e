import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.models import ChineseLocalGovernment
from clair_portal.foundation.typography import fiscal_year

from .models import Seminar


def provinces_with_seminars(request):
    hosts = Seminar.objects.filter(host_city__province=OuterRef("pk"))
    itself = Seminar.objects.filter(host_city=OuterRef("pk"))
    return ChineseLocalGovernment.objects.filter(province__isnull=True).filter(
        Exists(hosts) | Exists(itself)
    )


def fiscal_year_choices():
    years = Seminar.objects.order_by("-fiscal_year").values_list(
        "fiscal_year", flat=True
    )
    return [(year, fiscal_year(year)) for year in years.distinct()]


class SeminarFilter(django_filters.FilterSet):
    fiscal_year = django_filters.ChoiceFilter(
        label=_("Fiscal year"), choices=fiscal_year_choices, empty_label=_("All years")
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        queryset=provinces_with_seminars,
        to_field_name="code",
        method="filter_province",
        empty_label=_("All provinces"),
    )

    class Meta:
        model = Seminar
        fields = ["fiscal_year", "province"]

    def filter_province(self, queryset, name, value):
        return queryset.filter(host_city__province=value) | queryset.filter(
            host_city=value
        )
