"""Support requests from Japanese local governments, and the published figures."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clair_portal.models import FiscalYearRecord, JapaneseLocalGovernment, Photo


class RequestKind(models.TextChoices):
    ACTIVITY_SUPPORT = "activity_support", _("activity support")
    OVERSEAS_RESEARCH = "overseas_research", _("overseas research")


class SupportService(models.Model):
    """One service of the support menu (appointments, briefings...)."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("support service")
        verbose_name_plural = _("support services")
        ordering = ["position"]

    def __str__(self):
        return self.name


def new_tracking_token():
    return secrets.token_urlsafe(32)


class SupportRequest(models.Model):
    """A request from a Japanese local government, worked through the office's steps."""

    class Status(models.TextChoices):
        CONSULTATION = "consultation", _("prior consultation")
        RECEIVED = "received", _("application received")
        ARRANGING = "arranging", _("detailed arrangements")
        IN_PROGRESS = "in_progress", _("support under way")
        COMPLETED = "completed", _("completed")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    token = models.CharField(
        _("tracking token"),
        max_length=64,
        unique=True,
        default=new_tracking_token,
        editable=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), db_index=True)
    language = models.CharField(
        _("requester's language"),
        max_length=7,
        choices=settings.LANGUAGES,
        default="ja",
    )
    government = models.ForeignKey(
        JapaneseLocalGovernment,
        verbose_name=_("requesting government"),
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    department = models.CharField(_("department"), max_length=100)
    contact_name = models.CharField(_("contact person"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30)
    # Activity support
    purpose = models.TextField(_("purpose"), blank=True)
    stay_start = models.DateField(_("stay from"), null=True, blank=True)
    stay_end = models.DateField(_("stay until"), null=True, blank=True)
    destinations = models.TextField(_("places to visit in China"), blank=True)
    delegation_leader = models.CharField(
        _("delegation leader"), max_length=100, blank=True
    )
    delegation_size = models.PositiveSmallIntegerField(
        _("delegation size"), null=True, blank=True
    )
    services = models.ManyToManyField(
        SupportService, verbose_name=_("services wanted"), blank=True
    )
    # Overseas research
    research_subject = models.CharField(
        _("research subject"), max_length=200, blank=True
    )
    research_questions = models.TextField(_("questions"), blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_support_requests",
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stay_end__isnull=True)
                | Q(stay_start__isnull=True)
                | Q(stay_end__gte=F("stay_start")),
                name="supportrequest_stay_end_not_before_start",
                violation_error_message=_(
                    "The end of the stay cannot be before its start."
                ),
            ),
            models.CheckConstraint(
                condition=Q(delegation_size__isnull=True) | Q(delegation_size__gte=1),
                name="supportrequest_delegation_size_positive",
                violation_error_message=_("A delegation has at least one member."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.government}"


class SupportYearlyFigure(models.Model):
    """Requests handled in one fiscal year, as published before the portal."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    count = models.PositiveSmallIntegerField(_("count"))
    photos = GenericRelation(Photo)

    class Meta:
        verbose_name = _("published support figure")
        verbose_name_plural = _("published support figures")
        ordering = ["-fiscal_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "kind"],
                name="supportyearlyfigure_one_per_year_and_kind",
                violation_error_message=_(
                    "This fiscal year already has a figure of this kind."
                ),
            ),
        ]

    def __str__(self):
        return f"FY{self.fiscal_year} {self.get_kind_display()}: {self.count}"


class SupportExample(FiscalYearRecord):
    """A published example of the office's support."""

    title = models.CharField(_("title"), max_length=200)
    places = models.CharField(_("places"), max_length=200, blank=True)
    participants = models.CharField(_("participants"), max_length=200, blank=True)
    support_content = models.CharField(_("support given"), max_length=200, blank=True)
    governments = models.ManyToManyField(
        JapaneseLocalGovernment, verbose_name=_("local governments"), blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    photos = GenericRelation(Photo)

    class Meta:
        verbose_name = _("support example")
        verbose_name_plural = _("support examples")
        ordering = ["-fiscal_year", "position"]
        constraints = FiscalYearRecord.Meta.constraints

    def __str__(self):
        return self.title
