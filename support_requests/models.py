"""Support requests from Japanese local governments, and the published figures."""

import secrets
import unicodedata

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clair_portal.foundation.fiscal import validate_date_in_span, validate_year_in_span
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    FiscalYearRecord,
    JapaneseLocalGovernment,
    Photo,
)
from clair_portal.foundation.storage import private_storage
from clair_portal.foundation.text_index import index_form
from experts.models import ExpertField
from experts.steps import EXPERT_DISPATCH_STEPS

# The request's own columns that the desk's queue searches, kept in `search`.
SEARCHED_FIELDS = ("reference", "contact_name", "email", "department")


def fold(text: str) -> str:
    """The form the queue's search compares: width and case folded (NFKC, casefold)."""
    return unicodedata.normalize("NFKC", text).casefold()


class RequestKind(models.TextChoices):
    ACTIVITY_SUPPORT = "activity_support", _("activity support")
    OVERSEAS_RESEARCH = "overseas_research", _("overseas research")
    # Asked by a Chinese local government in the expert dispatch program's
    # yearly survey: the same machinery, another requester.
    EXPERT_DISPATCH = "expert_dispatch", _("expert dispatch")


JAPANESE_KINDS = (RequestKind.ACTIVITY_SUPPORT, RequestKind.OVERSEAS_RESEARCH)
# Statuses named for a kind's own steps (experts/steps.py).
KIND_STATUS_LABELS = {RequestKind.EXPERT_DISPATCH: EXPERT_DISPATCH_STEPS}


def status_label(kind, status):
    """A status as a request of `kind` names it ("finding a Japanese expert"
    for an expert dispatch's "detailed arrangements")."""
    if not status:
        return ""
    label = KIND_STATUS_LABELS.get(kind, {}).get(status)
    return label or SupportRequest.Status(status).label


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


class WaitingFor(models.TextChoices):
    DESK = "desk", _("the desk")
    REQUESTER = "requester", _("the requester")
    # A closed request, until its requester writes again (by mail).
    NOBODY = "nobody", pgettext_lazy("waiting for", "nobody")


CLOSED_STATUSES = ("completed", "declined", "withdrawn")


OPEN = ~Q(status__in=CLOSED_STATUSES)
# The requests the support page counts as the office's record: of its two
# kinds, taken up by the desk (arranging, under way or completed). A request
# only sent ("received", or a prior consultation) is not yet a result of the
# office: anyone may send the form, and each request counted at once let an
# anonymous visitor raise the published figure.
TAKEN_UP_STATUSES = ("arranging", "in_progress", "completed")
COUNTED = Q(kind__in=[RequestKind.ACTIVITY_SUPPORT, RequestKind.OVERSEAS_RESEARCH]) & Q(
    status__in=TAKEN_UP_STATUSES
)
WAITING_FOR_DESK = OPEN & Q(waiting_for=WaitingFor.DESK)
# A closed request the requester wrote to afterwards (a reply by mail: the
# page takes none), which nobody of the desk has answered or noted since.
WRITTEN_TO_AFTER_CLOSING = ~OPEN & Q(waiting_for=WaitingFor.DESK)


def desk_queue_q(name, *, user, today, due_soon_until):
    """The condition of one of the desk's queues: new (not yet taken), mine,
    waiting (for the requester), due_soon, late, and written_after_closing."""
    return {
        "new": OPEN & Q(assignee__isnull=True),
        "mine": OPEN & Q(assignee=user),
        "waiting": OPEN & Q(waiting_for=WaitingFor.REQUESTER),
        "due_soon": WAITING_FOR_DESK & Q(due_on__gte=today, due_on__lte=due_soon_until),
        "late": WAITING_FOR_DESK & Q(due_on__lt=today),
        "written_after_closing": WRITTEN_TO_AFTER_CLOSING,
    }[name]


class SupportRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(OPEN)

    def waiting_for_desk(self):
        return self.filter(WAITING_FOR_DESK)


class SupportRequest(models.Model):
    """A request from a local government, worked through the office's steps:
    activity support or overseas research from a Japanese local government, or
    an expert dispatch asked by a Chinese one."""

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
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), db_index=True, validators=[validate_year_in_span]
    )
    language = models.CharField(
        _("requester's language"),
        max_length=7,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    government = models.ForeignKey(
        JapaneseLocalGovernment,
        verbose_name=_("requesting government"),
        on_delete=models.PROTECT,
        related_name="support_requests",
        null=True,
        blank=True,
    )
    chinese_government = models.ForeignKey(
        ChineseLocalGovernment,
        verbose_name=_("requesting Chinese government"),
        on_delete=models.PROTECT,
        related_name="expert_requests",
        null=True,
        blank=True,
    )
    department = models.CharField(_("department"), max_length=100)
    contact_name = models.CharField(_("contact person"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30)
    # Activity support
    purpose = models.TextField(_("purpose"), blank=True)
    stay_start = models.DateField(
        _("stay from"), null=True, blank=True, validators=[validate_date_in_span]
    )
    stay_end = models.DateField(
        _("stay until"), null=True, blank=True, validators=[validate_date_in_span]
    )
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
    needed_by = models.DateField(
        _("needed by"), null=True, blank=True, validators=[validate_date_in_span]
    )
    # Expert dispatch
    expert_field = models.ForeignKey(
        ExpertField,
        verbose_name=_("field"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    expert_subject = models.CharField(_("subject"), max_length=200, blank=True)
    wished_start = models.DateField(
        _("wished from"), null=True, blank=True, validators=[validate_date_in_span]
    )
    wished_end = models.DateField(
        _("wished until"), null=True, blank=True, validators=[validate_date_in_span]
    )
    consented_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )

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
    # The desk's work on the request, kept by services.py.
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    waiting_for = models.CharField(
        _("waiting for"),
        max_length=10,
        choices=WaitingFor.choices,
        default=WaitingFor.DESK,
    )
    last_activity_at = models.DateTimeField(_("latest activity"), null=True, blank=True)
    last_activity_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("latest activity by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the requester acted last."),
    )

    # The searched columns folded, CJK in pairs (text_index.index_form), under
    # a trigram index: the queue finds 北京 or 王 from the index rather than
    # by reading every request (two reads of 9 ms each at scale 100).
    search = models.TextField(editable=False, default="")

    objects = SupportRequestQuerySet.as_manager()

    # Derived from the searched columns: not part of the change history.
    untracked_fields = ("search",)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at"]
        indexes = [
            GinIndex(
                fields=["search"],
                opclasses=["gin_trgm_ops"],
                name="supportrequest_search",
            ),
            # The support page's fiscal years and counts per year, read from
            # this index alone (8 ms to 1.4 ms at scale 100, over every
            # request in the table).
            models.Index(
                fields=["fiscal_year", "kind"],
                condition=COUNTED,
                name="supportrequest_counted_years",
            ),
            # The desk home's counts, from this index alone: the open
            # requests and the closed ones written to (4.7 ms to 2.6 ms at
            # scale 100, where every closed request was read).
            models.Index(
                fields=["status", "waiting_for", "assignee", "due_on"],
                condition=OPEN | WRITTEN_TO_AFTER_CLOSING,
                name="supportrequest_desk_home",
            ),
        ]
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
                condition=Q(wished_end__isnull=True)
                | Q(wished_start__isnull=True)
                | Q(wished_end__gte=F("wished_start")),
                name="supportrequest_wished_end_not_before_start",
                violation_error_message=_(
                    "The end of the period cannot be before its start."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=RequestKind.EXPERT_DISPATCH)
                    & Q(chinese_government__isnull=False, government__isnull=True)
                )
                | (
                    ~Q(kind=RequestKind.EXPERT_DISPATCH)
                    & Q(government__isnull=False, chinese_government__isnull=True)
                ),
                name="supportrequest_one_requester_of_its_kind",
                violation_error_message=_(
                    "An expert request comes from a Chinese government; other requests "
                    "from a Japanese one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(delegation_size__isnull=True) | Q(delegation_size__gte=1),
                name="supportrequest_delegation_size_positive",
                violation_error_message=_("A delegation has at least one member."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.requester}"

    def save(self, *args, **kwargs):
        # The search column follows the searched columns on every save (the
        # form, the desk's corrections, factories); the load generator, which
        # inserts in bulk, fills it itself.
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.search = self.search_text()
        elif set(update_fields) & set(SEARCHED_FIELDS):
            self.search = self.search_text()
            kwargs["update_fields"] = {*update_fields, "search"}
        super().save(*args, **kwargs)

    def search_text(self) -> str:
        """What the `search` column holds for the request as it stands."""
        return index_form(
            fold("\n".join(getattr(self, name) or "" for name in SEARCHED_FIELDS))
        )

    @property
    def is_open(self):
        return self.status not in CLOSED_STATUSES

    # Django leaves a get_FOO_display the model defines alone.
    def get_status_display(self):
        return status_label(self.kind, self.status)

    # Deliberately not get_absolute_url: the admin's "view on site" shortcut
    # (/admin/r/<type>/<id>/) would hand any staff user the requester's key.
    def tracking_path(self):
        """The requester's private tracking page, in the requester's language:
        for the requester's mail and their own pages only."""
        with translation.override(self.language):
            return reverse("support_requests:track", kwargs={"token": self.token})

    @property
    def requester(self):
        return self.government or self.chinese_government


class ReferenceCounter(models.Model):
    """The last reference number given in a fiscal year (BJ-2026-0007)."""

    fiscal_year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self):
        return f"FY{self.fiscal_year}: {self.last_number}"


class StatusChange(models.Model):
    """One step of a request's timeline: who moved it to which status, when."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=SupportRequest.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=20, choices=SupportRequest.Status.choices
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["request", "changed_at", "id"]

    def __str__(self):
        return f"{self.request.reference}: {self.get_to_status_display()}"

    # The request's own step names (it is cached on a change made or read
    # through it: no query).
    def get_from_status_display(self):
        return status_label(self.request.kind, self.from_status)

    def get_to_status_display(self):
        return status_label(self.request.kind, self.to_status)


class RequestMessage(models.Model):
    """A message on a request: from the requester, from staff to the requester,
    or an internal note that the requester never sees."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    from_requester = models.BooleanField(_("from the requester"), default=False)
    internal = models.BooleanField(
        _("internal note"),
        default=False,
        help_text=_("Internal notes are never shown or mailed to the requester."),
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    # A requester's reply by mail: its Message-ID, so that a mail read twice
    # from the mailbox is added once.
    mail_message_id = models.CharField(
        _("Message-ID"), max_length=255, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["request", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_requester=True, internal=True),
                name="requestmessage_requester_writes_no_internal_note",
            ),
            models.UniqueConstraint(
                fields=["mail_message_id"],
                condition=~Q(mail_message_id=""),
                name="requestmessage_one_per_mail",
            ),
        ]

    def __str__(self):
        return f"{self.request.reference} {self.created_at:%Y-%m-%d %H:%M}"


class RequestAttachment(models.Model):
    """A file sent with a request, kept out of the public media directory."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        RequestMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), upload_to="support_requests/%Y/%m/", storage=private_storage
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    from_requester = models.BooleanField(_("from the requester"), default=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["request", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class SupportYearlyFigure(models.Model):
    """Requests handled in one fiscal year, as published before the portal."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[validate_year_in_span]
    )
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


class RequestCorrection(models.Model):
    """Staff corrected what the requester sent (a mistyped address...): the
    value before and after, kept in the request's thread."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="corrections"
    )
    field = models.CharField(_("field"), max_length=50)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.SET_NULL,
        null=True,
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["request", "corrected_at", "id"]

    def __str__(self):
        return f"{self.request.reference}: {self.field}"

    @property
    def field_label(self):
        return SupportRequest._meta.get_field(self.field).verbose_name


class CannedReply(models.Model):
    """A reply the desk often writes, kept in both languages; inserted in the
    reply box in the requester's language."""

    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class UnsortedMail(models.Model):
    """A mail to a reply address whose reference is missing or forged: never
    added to a request; staff read it and sort it by hand."""

    class Reason(models.TextChoices):
        NO_REFERENCE = "no_reference", _("no reference in the address")
        FORGED = "forged", _("the reference's signature does not match")
        UNKNOWN = "unknown", _("no request has this reference")
        REFUSED = "refused", _("a file was refused")
        UNREADABLE = "unreadable", _("too complex to read: its start is kept")
        TOO_LARGE = "too_large", _("too large to read: left in the mailbox")

    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    # A mail's "from" and "to", not a status change's (変更前 / 変更後).
    sender = models.CharField(pgettext_lazy("mail", "from"), max_length=255)
    recipient = models.CharField(pgettext_lazy("mail", "to"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    sorted = models.BooleanField(_("sorted"), default=False)

    class Meta:
        verbose_name = _("unsorted mail")
        verbose_name_plural = _("unsorted mail")
        ordering = ["sorted", "-received_at"]

    def __str__(self):
        return f"{self.sender}: {self.subject}"
