"""Import and export of JET figures, placements and returnee gatherings
(see clair_portal.foundation.resources)."""

from clair_portal.foundation.resources import ProgramResource

from .models import JetFigure, JetPlacement, ReturneeGathering


class JetFigureResource(ProgramResource):
    class Meta:
        model = JetFigure


class JetPlacementResource(ProgramResource):
    class Meta:
        model = JetPlacement


class ReturneeGatheringResource(ProgramResource):
    class Meta:
        model = ReturneeGathering
