from modeltranslation.translator import TranslationOptions, register

from . import models
from .history import track_history


@register([models.JapaneseLocalGovernment, models.ChineseLocalGovernment])
class PlaceTranslation(TranslationOptions):
    fields = ("name",)


@register(models.Photo)
class PhotoTranslation(TranslationOptions):
    fields = ("caption", "staff_note")


@register(models.BrochureEdition)
class BrochureEditionTranslation(TranslationOptions):
    fields = ("title", "overview", "staff_note")


@register(models.KeyFigure)
class KeyFigureTranslation(TranslationOptions):
    fields = ("staff_note",)


@register(models.StaffMember)
class StaffMemberTranslation(TranslationOptions):
    fields = ("name", "seconded_from", "message")


@register(models.Greeting)
class GreetingTranslation(TranslationOptions):
    fields = ("body",)


@register(models.OfficeContact)
class OfficeContactTranslation(TranslationOptions):
    fields = ("organisation", "address", "staff_note")


@register(models.ProgramIntro)
class ProgramIntroTranslation(TranslationOptions):
    fields = ("title", "body", "public_note", "staff_note")


# After the translations: the historical tables copy the _ja/_zh_hans columns.
track_history(
    models.JapaneseLocalGovernment,
    models.ChineseLocalGovernment,
    models.Photo,
    models.BrochureEdition,
    models.KeyFigure,
    models.StaffMember,
    models.Greeting,
    models.OfficeContact,
    models.ProgramIntro,
)
