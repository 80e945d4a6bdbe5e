from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView

from clair_portal.foundation.cells import END_DATE, FISCAL_YEAR, START_DATE
from clair_portal.foundation.models import Photo, Program
from clair_portal.foundation.opendata import table_csv
from clair_portal.foundation.views import ProgramPageMixin

from . import columns
from .filters import SeminarFilter
from .models import Seminar


def seminars():
    return Seminar.objects.select_related("host_city__province").order_by("-edition")


class SeminarListView(ProgramPageMixin, ListView):
    program = Program.SEMINARS
    template_name = "seminars/list.html"
    context_object_name = "seminars"
    # The 18 editions of the brochures fit on the first page.
    paginate_by = 20

    def get_queryset(self):
        self.filterset = SeminarFilter(self.request.GET or None, queryset=seminars())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter=self.filterset, **kwargs)
        page = context["page_obj"]
        # Few enough links to fit a phone's width.
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            # A value the filter form does not offer: the page says so and is
            # not kept, so made-up values cannot fill the page cache.
            patch_cache_control(response, private=True)
        return response


class SeminarDetailView(DetailView):
    template_name = "seminars/detail.html"
    context_object_name = "seminar"

    def get_object(self, queryset=None):
        queryset = seminars().prefetch_related(
            "organisers",
            "programme",
            Prefetch("photos", queryset=Photo.objects.shown()),
        )
        return get_object_or_404(queryset, edition=self.kwargs["edition"])


def seminars_csv(request):
    return table_csv(
        "seminars.csv",
        seminars(),
        [
            columns.NUMBER,
            FISCAL_YEAR,
            columns.HOST_CITY,
            columns.THEME,
            START_DATE,
            END_DATE,
            columns.PARTICIPANTS,
        ],
    )
