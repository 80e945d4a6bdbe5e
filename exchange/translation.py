from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.ChinaOfficeCount)
class ChinaOfficeCountTranslation(TranslationOptions):
    fields = ("location",)


@register(models.LgotpPlacement)
class LgotpPlacementTranslation(TranslationOptions):
    fields = ("training_fields", "note")


@register(models.ExecutiveSeminar)
class ExecutiveSeminarTranslation(TranslationOptions):
    fields = ("theme", "summary")


@register(models.TravelExpo)
class TravelExpoTranslation(TranslationOptions):
    fields = ("name", "venue")


@register(models.CookingMenuItem)
class CookingMenuItemTranslation(TranslationOptions):
    fields = ("name",)


@register(models.LivestreamPromotion)
class LivestreamPromotionTranslation(TranslationOptions):
    fields = ("platform",)


@register(models.MediaCollaboration)
class MediaCollaborationTranslation(TranslationOptions):
    fields = ("title", "detail")
