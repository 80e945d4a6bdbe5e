from modeltranslation.translator import TranslationOptions, register

from clair_portal.foundation.history import track_history

from . import models


@register(models.ChinaOfficeCount)
class ChinaOfficeCountTranslation(TranslationOptions):
    fields = ("location",)


@register(models.LgotpPlacement)
class LgotpPlacementTranslation(TranslationOptions):
    fields = ("training_fields", "staff_note")


@register(models.ExecutiveSeminar)
class ExecutiveSeminarTranslation(TranslationOptions):
    fields = ("theme", "summary", "staff_note")


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


# After the translations: the historical tables copy the _ja/_zh_hans columns.
track_history(
    models.ChinaOfficeCount,
    models.LgotpPlacement,
    models.ExecutiveSeminar,
    models.TravelExpo,
    models.CookingEvent,
    models.CookingMenuItem,
    models.LivestreamPromotion,
    models.MediaCollaboration,
)
