from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.JetPlacement)
class JetPlacementTranslation(TranslationOptions):
    fields = ("placement",)


@register(models.ReturneeGathering)
class ReturneeGatheringTranslation(TranslationOptions):
    fields = ("title", "description")
