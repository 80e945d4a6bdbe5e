"""The columns of the exchange program's tables, each a label and a cell
(clair_portal/foundation/cells.py), declared once: the brochure's sections
and the CSV downloads are made from them."""

from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation import cells
from clair_portal.foundation.cells import Column

from .models import CookingEvent, CookingMenuItem, LivestreamPromotion, TravelExpo


def menu():
    """A cooking event's dishes, in their order."""
    dishes = CookingMenuItem.objects.filter(event=OuterRef("pk"))
    return cells.joined(dishes.order_by("position", "pk"), cells.translated("name"))


NAME = Column(_("name"), lambda: cells.translated("name"))
VENUE = Column(_("venue"), lambda: cells.translated("venue"))
CITY = Column(_("city"), lambda: cells.chinese_name("city"))
TRAVEL_EXPO_PARTNERS = Column(
    _("partner governments"), lambda: cells.japanese_names(TravelExpo, "partners")
)
COOKING_EVENT_PARTNERS = Column(
    _("partner governments"), lambda: cells.japanese_names(CookingEvent, "partners")
)
MENU = Column(_("menu"), menu)
PLATFORM = Column(_("platform"), lambda: cells.translated("platform"))
LIVESTREAM_GOVERNMENTS = Column(
    _("local governments"),
    lambda: cells.japanese_names(LivestreamPromotion, "governments"),
)
LGOTP_HOST = Column(_("host in Japan"), lambda: cells.japanese_name("host"))
LGOTP_SENDER = Column(
    _("sending government"), lambda: cells.chinese_name("sending_government")
)
TRAINING_FIELDS = Column(
    _("fields of training"), lambda: cells.translated("training_fields")
)
