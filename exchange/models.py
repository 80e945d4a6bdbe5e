"""LGOTP trainees, executive seminars, offices in China, tourism and economic events."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.fiscal import validate_year_in_span
from clair_portal.foundation.models import (
    BrochureEdition,
    ChineseLocalGovernment,
    DatedRecord,
    FiscalYearRecord,
    JapaneseLocalGovernment,
    Photo,
    printed_text,
)
from clair_portal.foundation.staff_notes import StaffNoteField


class ChinaOfficeCount(models.Model):
    """How many Japanese local-government offices one place in China hosts."""

    edition = models.ForeignKey(
        BrochureEdition, verbose_name=_("edition"), on_delete=models.PROTECT
    )
    location = models.CharField(_("location"), max_length=50)
    count = models.PositiveSmallIntegerField(_("offices"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("offices in China per location")
        verbose_name_plural = _("offices in China per location")
        ordering = ["-edition__year", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "position"], name="chinaofficecount_unique_position"
            ),
        ]

    def __str__(self):
        return f"{self.location}: {self.count}"


class LgotpPlacement(models.Model):
    """A Chinese official trained by a Japanese local government (LGOTP)."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), db_index=True, validators=[validate_year_in_span]
    )
    host = models.ForeignKey(
        JapaneseLocalGovernment,
        verbose_name=_("host in Japan"),
        on_delete=models.PROTECT,
        related_name="lgotp_placements",
    )
    sending_government = models.ForeignKey(
        ChineseLocalGovernment,
        verbose_name=_("sending government"),
        on_delete=models.PROTECT,
        related_name="lgotp_placements",
    )
    training_fields = models.CharField(_("fields of training"), max_length=200)
    staff_note = StaffNoteField()
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    photos = GenericRelation(Photo)

    class Meta:
        verbose_name = _("LGOTP placement")
        verbose_name_plural = _("LGOTP placements")
        ordering = ["-fiscal_year", "position"]

    def __str__(self):
        return f"FY{self.fiscal_year} {self.host} ← {self.sending_government}"


class ExecutiveSeminar(DatedRecord):
    """The executive exchange seminar for Chinese local-government leaders."""

    theme = models.CharField(_("theme"), max_length=200)
    summary = printed_text(_("summary"), blank=True)
    visited = models.ManyToManyField(
        JapaneseLocalGovernment, verbose_name=_("places visited"), blank=True
    )
    # Two editions may print one seminar's theme in different words.
    staff_note = StaffNoteField()
    photos = GenericRelation(Photo)

    class Meta:
        verbose_name = _("executive exchange seminar")
        verbose_name_plural = _("executive exchange seminars")
        ordering = ["-fiscal_year"]
        constraints = FiscalYearRecord.Meta.constraints

    def __str__(self):
        return f"FY{self.fiscal_year} {self.theme}"


class TravelExpo(DatedRecord):
    """A travel expo or reception where the office exhibits with local governments."""

    name = models.CharField(_("name"), max_length=200)
    venue = models.CharField(_("venue"), max_length=200)
    city = models.ForeignKey(
        ChineseLocalGovernment, verbose_name=_("city"), on_delete=models.PROTECT
    )
    partners = models.ManyToManyField(
        JapaneseLocalGovernment, verbose_name=_("partner governments"), blank=True
    )
    photos = GenericRelation(Photo)

    class Meta:
        verbose_name = _("travel expo exhibition")
        verbose_name_plural = _("travel expo exhibitions")
        ordering = ["-start_date"]
        constraints = FiscalYearRecord.Meta.constraints

    def __str__(self):
        return self.name


class CookingEvent(DatedRecord):
    """A cooking experience event with a Japanese cooking school in China."""

    city = models.ForeignKey(
        ChineseLocalGovernment, verbose_name=_("city"), on_delete=models.PROTECT
    )
    partners = models.ManyToManyField(
        JapaneseLocalGovernment, verbose_name=_("partner governments")
    )
    photos = GenericRelation(Photo)

    class Meta:
        verbose_name = _("cooking experience event")
        verbose_name_plural = _("cooking experience events")
        ordering = ["-start_date"]
        constraints = FiscalYearRecord.Meta.constraints

    def __str__(self):
        return f"{self.start_date} {self.city}"


class CookingMenuItem(models.Model):
    event = models.ForeignKey(
        CookingEvent, on_delete=models.CASCADE, related_name="menu"
    )
    name = models.CharField(_("dish"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("menu item")
        verbose_name_plural = _("menu")
        ordering = ["event", "position", "id"]

    def __str__(self):
        return self.name


class LivestreamPromotion(DatedRecord):
    """Livestreams and short videos promoting Japanese regions on a Chinese platform."""

    platform = models.CharField(_("platform"), max_length=50)
    governments = models.ManyToManyField(
        JapaneseLocalGovernment, verbose_name=_("local governments")
    )
    photos = GenericRelation(Photo)

    class Meta:
        verbose_name = _("livestream promotion")
        verbose_name_plural = _("livestream promotions")
        ordering = ["-start_date"]
        constraints = FiscalYearRecord.Meta.constraints

    def __str__(self):
        return f"{self.start_date} {self.platform}"


class MediaCollaboration(FiscalYearRecord):
    """Work with Chinese media, universities and publishers."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("university")
        MEDIA = "media", _("media")
        PUBLISHER = "publisher", _("publisher")
        LECTURE = "lecture", _("lecture")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    photos = GenericRelation(Photo)

    class Meta:
        verbose_name = _("media or university collaboration")
        verbose_name_plural = _("media and university collaborations")
        ordering = ["-fiscal_year", "position"]
        constraints = FiscalYearRecord.Meta.constraints

    def __str__(self):
        return self.title
