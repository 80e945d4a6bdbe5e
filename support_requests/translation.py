"""Translated fields. A support request itself is written once, in the
requester's language, so it is not translated."""

from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.SupportService)
class SupportServiceTranslation(TranslationOptions):
    fields = ("name",)


@register(models.SupportExample)
class SupportExampleTranslation(TranslationOptions):
    fields = ("title", "places", "participants", "support_content")
