from modeltranslation.translator import TranslationOptions, register

from clair_portal.foundation.history import track_history

from . import models


@register(models.NewsItem)
class NewsItemTranslation(TranslationOptions):
    fields = ("title", "summary", "body")


@register(models.NewsAttachment)
class NewsAttachmentTranslation(TranslationOptions):
    fields = ("label",)


@register(models.Publication)
class PublicationTranslation(TranslationOptions):
    fields = ("title", "summary")


# After the translations: the historical tables copy the _ja/_zh_hans columns.
track_history(models.NewsItem, models.Publication)
