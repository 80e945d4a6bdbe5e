"""JET Programme figures for participants from China, and returnee gatherings."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.fiscal import validate_year_in_span
from clair_portal.foundation.models import (
    BrochureEdition,
    ChineseLocalGovernment,
    FiscalYearRecord,
    Photo,
    printed_text,
)


class Position(models.TextChoices):
    ALT = "ALT", _("ALT (Assistant Language Teacher)")
    CIR = "CIR", _("CIR (Coordinator for International Relations)")
    SEA = "SEA", _("SEA (Sports Exchange Advisor)")
    TOTAL = "total", _("total")


class JetFigure(models.Model):
    """Participants of one fiscal year and position, as one edition published them.

    Figures are kept per edition, not corrected: the editions disagree (the
    cumulative total falls from 1,435 to 1,428) and check_data reports it.
    """

    edition = models.ForeignKey(
        BrochureEdition, verbose_name=_("edition"), on_delete=models.PROTECT
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[validate_year_in_span]
    )
    position = models.CharField(_("post"), max_length=5, choices=Position.choices)
    serving = models.PositiveSmallIntegerField(_("serving"), null=True, blank=True)
    new = models.PositiveSmallIntegerField(_("new participants"), null=True, blank=True)
    cumulative = models.PositiveIntegerField(_("cumulative"), null=True, blank=True)

    class Meta:
        verbose_name = _("JET figure")
        verbose_name_plural = _("JET figures")
        ordering = ["-fiscal_year", "edition", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "fiscal_year", "position"],
                name="jetfigure_one_per_edition_year_position",
                violation_error_message=_(
                    "This edition already has figures for this year and position."
                ),
            ),
        ]

    def __str__(self):
        return f"FY{self.fiscal_year} {self.position} ({self.edition})"


class JetPlacement(models.Model):
    """Where serving participants of one position are placed (福井県 1人...)."""

    edition = models.ForeignKey(
        BrochureEdition, verbose_name=_("edition"), on_delete=models.PROTECT
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[validate_year_in_span]
    )
    position = models.CharField(
        _("post"),
        max_length=5,
        choices=[c for c in Position.choices if c[0] != Position.TOTAL],
    )
    placement = models.CharField(_("placement"), max_length=60)
    count = models.PositiveSmallIntegerField(_("participants"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("JET placement")
        verbose_name_plural = _("JET placements")
        ordering = ["-fiscal_year", "position", "sort_order"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(position="total"), name="jetplacement_not_total"
            ),
        ]

    def __str__(self):
        return f"FY{self.fiscal_year} {self.position} {self.placement} {self.count}"


class ReturneeGathering(FiscalYearRecord):
    """A gathering of former JET participants in China."""

    title = models.CharField(_("title"), max_length=200)
    city = models.ForeignKey(
        ChineseLocalGovernment,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    description = printed_text(_("description"), blank=True)
    photos = GenericRelation(Photo)

    class Meta:
        verbose_name = _("returnee gathering")
        verbose_name_plural = _("returnee gatherings")
        ordering = ["-fiscal_year", "-start_date"]
        constraints = FiscalYearRecord.Meta.constraints

    def __str__(self):
        return self.title
