from modeltranslation.translator import TranslationOptions, register

from . import models


@register([models.JapaneseLocalGovernment, models.ChineseLocalGovernment])
class PlaceTranslation(TranslationOptions):
    fields = ("name",)


@register(models.Photo)
class PhotoTranslation(TranslationOptions):
    fields = ("caption",)


@register(models.BrochureEdition)
class BrochureEditionTranslation(TranslationOptions):
    fields = ("title", "overview")


@register(models.KeyFigure)
class KeyFigureTranslation(TranslationOptions):
    fields = ("note",)


@register(models.StaffMember)
class StaffMemberTranslation(TranslationOptions):
    fields = ("name", "seconded_from", "message")


@register(models.Greeting)
class GreetingTranslation(TranslationOptions):
    fields = ("body",)


@register(models.OfficeContact)
class OfficeContactTranslation(TranslationOptions):
    fields = ("organisation", "address")


@register(models.ProgramIntro)
class ProgramIntroTranslation(TranslationOptions):
    fields = ("title", "body", "note")
