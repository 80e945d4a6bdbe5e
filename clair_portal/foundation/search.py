"""What the site's search finds of the foundation: the programs'
introductions (the program pages' texts) and the places
(clair_portal.foundation.searchable)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
    Program,
    ProgramIntro,
)
from .searchable import SearchSource, register_search_source

# The public page of each program (URL names, as the navigation has them).
PROGRAM_PAGES = {
    Program.SEMINARS: "seminars:list",
    Program.SUPPORT: "support_requests:index",
    Program.JET: "jet:index",
    Program.EXPERTS: "experts:index",
    Program.RESEARCH: "office",
}
OTHER_PROGRAMS_PAGE = "exchange:index"

register_search_source(
    SearchSource(
        model=ProgramIntro,
        kind=_("Program"),
        fields=("title", "body"),
        title=lambda row: row["title"],
        url=lambda row: reverse(PROGRAM_PAGES.get(row["program"], OTHER_PROGRAMS_PAGE)),
        extra=("program",),
    )
)
# Places have no page of their own (yet): found, without a link.
register_search_source(
    SearchSource(
        model=JapaneseLocalGovernment,
        kind=_("Japanese local government"),
        fields=("name", "prefecture__name"),
        title=lambda row: (
            (row["prefecture__name"] or "") + (row["name"] or "")
            if row["kind"] not in ("prefecture", "designated_city")
            else row["name"]
        ),
        url=lambda row: "",
        extra=("kind",),
    )
)
register_search_source(
    SearchSource(
        model=ChineseLocalGovernment,
        kind=_("Chinese local government"),
        fields=("name", "province__name"),
        title=lambda row: row["name"] or row["province__name"],
        url=lambda row: "",
    )
)
