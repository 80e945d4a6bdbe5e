"""Import and export of the exchange programs' records
(see clair_portal.foundation.resources)."""

from clair_portal.foundation.resources import ProgramResource

from .models import (
    ChinaOfficeCount,
    CookingEvent,
    CookingMenuItem,
    ExecutiveSeminar,
    LgotpPlacement,
    LivestreamPromotion,
    MediaCollaboration,
    TravelExpo,
)


class ChinaOfficeCountResource(ProgramResource):
    class Meta:
        model = ChinaOfficeCount


class LgotpPlacementResource(ProgramResource):
    class Meta:
        model = LgotpPlacement


class ExecutiveSeminarResource(ProgramResource):
    class Meta:
        model = ExecutiveSeminar


class TravelExpoResource(ProgramResource):
    class Meta:
        model = TravelExpo


class CookingEventResource(ProgramResource):
    class Meta:
        model = CookingEvent


class CookingMenuItemResource(ProgramResource):
    """A dish, with its event by ID."""

    class Meta:
        model = CookingMenuItem


class LivestreamPromotionResource(ProgramResource):
    class Meta:
        model = LivestreamPromotion


class MediaCollaborationResource(ProgramResource):
    class Meta:
        model = MediaCollaboration
