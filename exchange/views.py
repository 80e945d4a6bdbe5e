from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from clair_portal.foundation import cells
from clair_portal.foundation.cells import END_DATE, FISCAL_YEAR, START_DATE, Column
from clair_portal.foundation.opendata import table_csv

from . import columns, selectors


class IndexView(TemplateView):
    template_name = "exchange/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**selectors.exchange_page(), **kwargs)


def lgotp_csv(request):
    return table_csv(
        "lgotp.csv",
        selectors.lgotp_placements(),
        [
            FISCAL_YEAR,
            columns.LGOTP_HOST,
            columns.LGOTP_SENDER,
            columns.TRAINING_FIELDS,
        ],
    )


def travel_expos_csv(request):
    return table_csv(
        "travel-expos.csv",
        selectors.travel_expos(),
        [
            FISCAL_YEAR,
            columns.NAME,
            START_DATE,
            END_DATE,
            columns.VENUE,
            columns.CITY,
        ],
    )


def cooking_events_csv(request):
    return table_csv(
        "cooking-events.csv",
        selectors.cooking_events(),
        [
            FISCAL_YEAR,
            Column(_("Date"), lambda: cells.iso_date("start_date")),
            columns.CITY,
            columns.COOKING_EVENT_PARTNERS,
            columns.MENU,
        ],
    )


def livestreams_csv(request):
    return table_csv(
        "livestreams.csv",
        selectors.livestream_promotions(),
        [
            FISCAL_YEAR,
            START_DATE,
            END_DATE,
            columns.PLATFORM,
            columns.LIVESTREAM_GOVERNMENTS,
        ],
    )
