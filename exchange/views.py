from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from clair_portal.foundation.opendata import csv_response

from . import selectors

# Lists inside a CSV cell: the enumeration comma of both Japanese and Chinese.
LIST_SEPARATOR = "、"


def _names(places):
    return LIST_SEPARATOR.join(place.full_name() for place in places)


class IndexView(TemplateView):
    template_name = "exchange/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**selectors.exchange_page(), **kwargs)


def lgotp_csv(request):
    header = [
        _("Fiscal year"),
        _("Host in Japan"),
        _("Sending government"),
        _("Fields of training"),
        _("Editorial note"),
    ]
    rows = (
        [
            placement.fiscal_year,
            placement.host.full_name(),
            placement.sending_government.full_name(),
            placement.training_fields,
            placement.note,
        ]
        for placement in selectors.lgotp_placements()
    )
    return csv_response("lgotp.csv", header, rows)


def travel_expos_csv(request):
    header = [
        _("Fiscal year"),
        _("Name"),
        _("Start date"),
        _("End date"),
        _("Venue"),
        _("City"),
    ]
    rows = (
        [
            expo.fiscal_year,
            expo.name,
            expo.start_date,
            expo.end_date,
            expo.venue,
            expo.city.full_name(),
        ]
        for expo in selectors.travel_expos()
    )
    return csv_response("travel-expos.csv", header, rows)


def cooking_events_csv(request):
    header = [
        _("Fiscal year"),
        _("Date"),
        _("City"),
        _("Partner governments"),
        _("Menu"),
    ]
    rows = (
        [
            event.fiscal_year,
            event.start_date,
            event.city.full_name(),
            _names(event.partner_places),
            LIST_SEPARATOR.join(item.name for item in event.menu_items),
        ]
        for event in selectors.cooking_events()
    )
    return csv_response("cooking-events.csv", header, rows)


def livestreams_csv(request):
    header = [
        _("Fiscal year"),
        _("Start date"),
        _("End date"),
        _("Platform"),
        _("Local governments"),
    ]
    rows = (
        [
            livestream.fiscal_year,
            livestream.start_date,
            livestream.end_date,
            livestream.platform,
            _names(livestream.government_places),
        ]
        for livestream in selectors.livestream_promotions()
    )
    return csv_response("livestreams.csv", header, rows)
