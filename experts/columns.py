"""The columns of the expert dispatches, each a label and a cell
(clair_portal/foundation/cells.py), declared once: the brochure's section and
the CSV download are made from them."""

from django.utils.translation import gettext_lazy as _

from clair_portal.foundation import cells
from clair_portal.foundation.cells import Column

DISPATCH = (
    Column(_("destination"), lambda: cells.chinese_name("destination")),
    Column(_("field"), lambda: cells.translated("field__name")),
    Column(_("subject"), lambda: cells.translated("subject")),
    Column(_("expert"), lambda: cells.translated("expert")),
)
