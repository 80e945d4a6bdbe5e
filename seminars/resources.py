"""Import and export of seminars, their organisers and programme days
(see clair_portal.foundation.resources)."""

from clair_portal.foundation.resources import ProgramResource

from .models import Seminar, SeminarOrganiser, SeminarProgrammeDay


class SeminarResource(ProgramResource):
    class Meta:
        model = Seminar


class SeminarOrganiserResource(ProgramResource):
    """An organiser, with its seminar by number."""

    class Meta:
        model = SeminarOrganiser


class SeminarProgrammeDayResource(ProgramResource):
    """A programme day, with its seminar by number."""

    class Meta:
        model = SeminarProgrammeDay
