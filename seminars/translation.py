from modeltranslation.translator import TranslationOptions, register

from clair_portal.foundation.history import track_history

from . import models


@register(models.Seminar)
class SeminarTranslation(TranslationOptions):
    fields = ("theme", "report", "staff_note")


@register(models.SeminarOrganiser)
class SeminarOrganiserTranslation(TranslationOptions):
    fields = ("name",)


@register(models.SeminarProgrammeDay)
class SeminarProgrammeDayTranslation(TranslationOptions):
    fields = ("description",)


# After the translations: the historical tables copy the _ja/_zh_hans columns.
track_history(
    models.Seminar,
    models.SeminarOrganiser,
    models.SeminarProgrammeDay,
)
