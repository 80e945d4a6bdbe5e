"""Import and export of the expert fields and dispatches
(see clair_portal.foundation.resources)."""

from clair_portal.foundation.resources import ProgramResource

from .models import ExpertDispatch, ExpertField


class ExpertFieldResource(ProgramResource):
    class Meta:
        model = ExpertField


class ExpertDispatchResource(ProgramResource):
    class Meta:
        model = ExpertDispatch
