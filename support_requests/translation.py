"""Translated fields. A support request itself is written once, in the
requester's language, so it is not translated."""

from modeltranslation.translator import TranslationOptions, register

from clair_portal.foundation.history import track_history

from . import models


@register(models.SupportService)
class SupportServiceTranslation(TranslationOptions):
    fields = ("name",)


@register(models.SupportExample)
class SupportExampleTranslation(TranslationOptions):
    fields = ("title", "places", "participants", "support_content")


@register(models.CannedReply)
class CannedReplyTranslation(TranslationOptions):
    fields = ("title", "body")


# After the translations: the historical tables copy the _ja/_zh_hans columns.
track_history(
    models.SupportRequest,
    models.SupportService,
    models.SupportYearlyFigure,
    models.SupportExample,
    models.RequestMessage,
    models.CannedReply,
)
