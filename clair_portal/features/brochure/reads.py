"""The tables the printed brochure reads, for the page cache and the PDF
store: a change to any of them retires the brochure's page and its PDFs, and
a change to any other table (a message on a support request, a note) keeps
them. tests/clair_portal/test_page_cache.py checks that it reads no other."""

from clair_portal.foundation.models import (
    BrochureEdition,
    ChineseLocalGovernment,
    Greeting,
    JapaneseLocalGovernment,
    KeyFigure,
    OfficeContact,
    Photo,
    ProgramIntro,
    StaffMember,
)
from exchange import models as exchange
from experts.models import ExpertDispatch, ExpertField
from jet.models import JetFigure, JetPlacement, ReturneeGathering
from seminars.models import Seminar, SeminarOrganiser, SeminarProgrammeDay
from support_requests.models import (
    SupportExample,
    SupportRequest,
    SupportService,
    SupportYearlyFigure,
)

BROCHURE_READS = (
    BrochureEdition,
    ChineseLocalGovernment,
    Greeting,
    JapaneseLocalGovernment,
    KeyFigure,
    OfficeContact,
    Photo,
    ProgramIntro,
    StaffMember,
    Seminar,
    SeminarOrganiser,
    SeminarProgrammeDay,
    JetFigure,
    JetPlacement,
    ReturneeGathering,
    exchange.ChinaOfficeCount,
    exchange.LgotpPlacement,
    exchange.ExecutiveSeminar,
    exchange.TravelExpo,
    exchange.CookingEvent,
    exchange.CookingMenuItem,
    exchange.LivestreamPromotion,
    exchange.MediaCollaboration,
    ExpertDispatch,
    ExpertField,
    SupportExample,
    SupportRequest,
    SupportService,
    SupportYearlyFigure,
)
