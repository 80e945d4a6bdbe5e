from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.Seminar)
class SeminarTranslation(TranslationOptions):
    fields = ("theme", "report", "note")


@register(models.SeminarOrganiser)
class SeminarOrganiserTranslation(TranslationOptions):
    fields = ("name",)


@register(models.SeminarProgrammeDay)
class SeminarProgrammeDayTranslation(TranslationOptions):
    fields = ("description",)
