"""The columns of the JET figures, each a label and a cell
(clair_portal/foundation/cells.py), declared once: the brochure's section and
the CSV download are made from them."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation import cells
from clair_portal.foundation.cells import FISCAL_YEAR, Column

from .models import Position

POST = Column(_("post"), lambda: cells.choice("position", Position.choices))
JET_FIGURES = (
    Column(_("edition"), lambda: cells.translated("edition__title")),
    FISCAL_YEAR,
    POST,
    Column(_("serving"), lambda: F("serving"), numeric=True),
    Column(_("new participants"), lambda: F("new"), numeric=True),
    Column(_("cumulative"), lambda: F("cumulative"), numeric=True),
)
