"""Expert dispatches to Chinese local governments, and the talent bank's fields."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    DatedRecord,
    FiscalYearRecord,
    JapaneseLocalGovernment,
    Photo,
)


class ExpertField(models.Model):
    """A field of the talent bank (農業, 林業, 環境保全...)."""

    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("expert field")
        verbose_name_plural = _("expert fields")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class ExpertDispatch(DatedRecord):
    destination = models.ForeignKey(
        ChineseLocalGovernment,
        verbose_name=_("destination"),
        on_delete=models.PROTECT,
        related_name="expert_dispatches",
    )
    field = models.ForeignKey(
        ExpertField, verbose_name=_("field"), on_delete=models.PROTECT
    )
    subject = models.CharField(_("subject"), max_length=200)
    expert = models.CharField(
        _("expert"), max_length=100, help_text=_("As published, e.g. 元栃木県職員.")
    )
    expert_government = models.ForeignKey(
        JapaneseLocalGovernment,
        verbose_name=_("expert's government"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    photos = GenericRelation(Photo)

    class Meta:
        verbose_name = _("expert dispatch")
        verbose_name_plural = _("expert dispatches")
        ordering = ["-start_date"]
        constraints = FiscalYearRecord.Meta.constraints

    def __str__(self):
        return f"{self.start_date} {self.destination}: {self.subject}"
