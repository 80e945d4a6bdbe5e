"""The yearly Japan-China Regional Exchange Seminar."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.fiscal import validate_date_in_span
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    FiscalYearRecord,
    Photo,
    printed_text,
)
from clair_portal.foundation.staff_notes import StaffNoteField
from clair_portal.foundation.typography import written_date


class Seminar(FiscalYearRecord):
    edition = models.PositiveSmallIntegerField(_("seminar number"), unique=True)
    host_city = models.ForeignKey(
        ChineseLocalGovernment,
        verbose_name=_("host city"),
        on_delete=models.PROTECT,
        related_name="seminars",
    )
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    participants_japan = models.PositiveSmallIntegerField(
        _("participants from Japan"), null=True, blank=True
    )
    participants_china = models.PositiveSmallIntegerField(
        _("participants from China"), null=True, blank=True
    )
    report = models.TextField(_("report"), blank=True)
    staff_note = StaffNoteField()
    photos = GenericRelation(Photo)

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["-edition"]
        constraints = [
            *FiscalYearRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(edition__gte=1), name="seminar_edition_positive"
            ),
        ]

    def __str__(self):
        return _("Seminar %(edition)s (%(city)s)") % {
            "edition": self.edition,
            "city": self.host_city,
        }

    def get_absolute_url(self):
        return reverse("seminars:detail", kwargs={"edition": self.edition})

    @property
    def participants_total(self):
        if self.participants_japan is None or self.participants_china is None:
            return None
        return self.participants_japan + self.participants_china


class SeminarOrganiser(models.Model):
    class Role(models.TextChoices):
        ORGANISER = "organiser", _("organiser")
        CO_ORGANISER = "co_organiser", _("co-organiser")
        SUPPORTER = "supporter", _("supporter")
        HOST = "host", _("local host")

    seminar = models.ForeignKey(
        Seminar, on_delete=models.CASCADE, related_name="organisers"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        ordering = ["seminar", "position", "id"]

    def __str__(self):
        return f"{self.get_role_display()}: {self.name}"


class SeminarProgrammeDay(models.Model):
    seminar = models.ForeignKey(
        Seminar, on_delete=models.CASCADE, related_name="programme"
    )
    date = models.DateField(_("date"), validators=[validate_date_in_span])
    description = printed_text(_("programme"))

    class Meta:
        verbose_name = _("programme day")
        verbose_name_plural = _("programme")
        ordering = ["seminar", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "date"],
                name="seminarprogrammeday_one_per_date",
                violation_error_message=_("This day is already in the programme."),
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"

    def clean(self):
        super().clean()
        try:
            seminar = self.seminar  # in the admin, the seminar as edited
        except Seminar.DoesNotExist:
            return
        start = seminar.start_date
        if not (self.date and start):
            return
        end = seminar.end_date or start
        if not start <= self.date <= end:
            raise ValidationError(
                {
                    "date": _("Enter a day of the seminar, from %(start)s to %(end)s.")
                    % {"start": written_date(start), "end": written_date(end)}
                }
            )
