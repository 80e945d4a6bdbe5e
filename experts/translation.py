from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.ExpertField)
class ExpertFieldTranslation(TranslationOptions):
    fields = ("name",)


@register(models.ExpertDispatch)
class ExpertDispatchTranslation(TranslationOptions):
    fields = ("subject", "expert")
