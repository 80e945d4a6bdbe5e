from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One record's text in one language, as the search finds it. Written by
    the index (index.py) from the apps' search sources; never edited."""

    source = models.CharField(_("source"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("record"))
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    title = models.TextField(_("title"))
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    visible_from = models.DateTimeField(_("found from"), null=True, blank=True)
    # The title and text folded and cut into words (text.index_form).
    folded = models.TextField(_("index form"))

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        ordering = ["source", "object_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id", "language"],
                name="searchdocument_one_per_record_and_language",
            )
        ]
        indexes = [
            GinIndex(
                fields=["folded"],
                opclasses=["gin_trgm_ops"],
                name="searchdocument_folded_trgm",
            )
        ]

    def __str__(self):
        return f"{self.source} {self.object_id} ({self.language})"
