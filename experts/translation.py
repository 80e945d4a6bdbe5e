from modeltranslation.translator import TranslationOptions, register

from clair_portal.foundation.history import track_history

from . import models


@register(models.ExpertField)
class ExpertFieldTranslation(TranslationOptions):
    fields = ("name",)


@register(models.ExpertDispatch)
class ExpertDispatchTranslation(TranslationOptions):
    fields = ("subject", "expert")


# After the translations: the historical tables copy the _ja/_zh_hans columns.
track_history(
    models.ExpertField,
    models.ExpertDispatch,
)
