"""The columns of the seminars, each a label and a cell
(clair_portal/foundation/cells.py), declared once: the brochure's sections and
the CSV download are made from them."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation import cells
from clair_portal.foundation.cells import Column

NUMBER = Column(_("seminar number"), lambda: F("edition"))
HOST_CITY = Column(_("host city"), lambda: cells.chinese_name("host_city"))
THEME = Column(_("theme"), lambda: cells.translated("theme"))
PARTICIPANTS = Column(
    _("participants"),
    lambda: F("participants_japan") + F("participants_china"),
    numeric=True,
)
