from modeltranslation.translator import TranslationOptions, register

from clair_portal.foundation.history import track_history

from . import models


@register(models.JetPlacement)
class JetPlacementTranslation(TranslationOptions):
    fields = ("placement",)


@register(models.ReturneeGathering)
class ReturneeGatheringTranslation(TranslationOptions):
    fields = ("title", "description")


# After the translations: the historical tables copy the _ja/_zh_hans columns.
track_history(
    models.JetFigure,
    models.JetPlacement,
    models.ReturneeGathering,
)
