"""The support desk (support requests: queue, status, messages, files) and
the admin of the support menu and the published figures.

Every write of a request's status or messages goes through services.py, so
each one is recorded with who and when and its mail leaves after the commit.
"""

from functools import cache, reduce
from operator import or_

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import (
    get_translation_fields,
)

from clair_portal.foundation.admin import (
    MAX_SEARCH_WORDS,
    BoundedChangeListMixin,
    BoundedSearchMixin,
    ExportAdminMixin,
    FiscalYearRecordMixin,
    LanguageMarkedFieldsMixin,
    PhotoInline,
    PlainTextFieldsMixin,
    ProgramAdmin,
    TranslatedAdmin,
)
from clair_portal.foundation.compiled_sql import (
    Compiled,
    compile_query,
    fetch_by_attname,
)
from clair_portal.foundation.file_checks import FORMATS as ATTACHMENT_FORMATS
from clair_portal.foundation.file_checks import validate_attachment
from clair_portal.foundation.history_admin import CheckedHistoryAdmin
from clair_portal.foundation.languages import columns_by_preference
from clair_portal.foundation.logging import redact
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
)
from clair_portal.foundation.plain_text import TextField, plain_text_field_classes
from clair_portal.foundation.text_index import cjk_pattern, pairs, runs

from . import admin_views
from .forms import PERIODS, check_period, cleaned_phone
from .models import (
    SEARCHED_FIELDS,
    CannedReply,
    RequestKind,
    RequestMessage,
    SupportExample,
    SupportRequest,
    SupportService,
    SupportYearlyFigure,
    UnsortedMail,
    WaitingFor,
    fold,
)
from .models import status_label as kind_status_label
from .reply_address import without_signature
from .resources import (
    SupportExampleResource,
    SupportRequestResource,
    SupportServiceResource,
    SupportYearlyFigureResource,
)
from .selectors import DESK_QUEUE_LABELS, DESK_QUEUES, desk_queue
from .services import (
    CORRECTABLE_FIELDS,
    support_request_assign,
    support_request_change_status,
    support_request_correct,
    support_request_post_message,
    support_request_send_tracking_link,
    support_request_submit,
)
from .working_days import working_days_between

SUPPORT_DESK_GROUP = "support desk"


def desk_members():
    """Whom a request can be assigned to: the active members of the support
    desk group (editors and other staff never)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=SUPPORT_DESK_GROUP)
        .order_by("username")
    )


# The queue's filters ------------------------------------------------------------------


@cache
def _regions_sql(place, requester_field: str, parent_field: str) -> Compiled:
    """The regions (places with no `parent_field`) with requests of their own
    or of their places: one index probe per region (there are a few dozen)
    rather than the governments of every request, the queue being the large
    table. Compiled once: Django's building of it cost three times
    PostgreSQL's running of it, on every page of the queue."""
    requests = SupportRequest.objects.order_by()
    return compile_query(
        place.objects.filter(
            Exists(requests.filter(**{requester_field: OuterRef("pk")}))
            | Exists(
                requests.filter(
                    **{f"{requester_field}__{parent_field}": OuterRef("pk")}
                )
            ),
            **{f"{parent_field}__isnull": True},
        )
    )


class RegionFilter(admin.SimpleListFilter):
    """Requests from a region (a Japanese prefecture, a Chinese province), the
    region's own government included. Lists only regions with requests."""

    requester_field: str  # the requesting government on SupportRequest
    parent_field: str  # the region on that government's model

    def lookups(self, request, model_admin):
        # Each name in the page's language, or in modeltranslation's
        # fallback, without making an instance per region.
        place = SupportRequest._meta.get_field(self.requester_field).related_model
        names = [column for _language, column in columns_by_preference("name")]
        sql = _regions_sql(place, self.requester_field, self.parent_field)
        return [
            (row[place._meta.pk.attname], next(filter(None, map(row.get, names)), ""))
            for row in fetch_by_attname(sql, place)
        ]

    def queryset(self, request, queryset):
        # A string from the URL; a region's key (an int) when the admin counts
        # each choice's requests (?_facets=True).
        value = str(self.value() or "")
        if not value:
            return queryset
        # ASCII digits only: str.isdigit() also accepts "²", which the
        # database refuses (a 500 before). The admin then shows the whole
        # queue with its "incorrect lookup" note (?e=1).
        if not (value.isascii() and value.isdigit()):
            raise IncorrectLookupParameters(value)
        return queryset.filter(
            Q(**{self.requester_field: value})
            | Q(**{f"{self.requester_field}__{self.parent_field}": value})
        )


class PrefectureFilter(RegionFilter):
    title = _("prefecture")
    parameter_name = "prefecture"
    requester_field = "government"
    parent_field = "prefecture"


class ProvinceFilter(RegionFilter):
    title = _("provincial-level division")
    parameter_name = "province"
    requester_field = "chinese_government"
    parent_field = "province"


class AssigneeFilter(admin.RelatedFieldListFilter):
    """The desk's members, whom a request can be assigned to, rather than the
    distinct assignees of every request (a read of the whole queue)."""

    def field_choices(self, field, request, model_admin):
        return [(user.pk, str(user)) for user in desk_members()]


class DeskQueueFilter(admin.SimpleListFilter):
    """The desk home's queues: new, mine, waiting for the requester, due
    soon, late."""

    title = _("desk")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [(name, DESK_QUEUE_LABELS[name]) for name in DESK_QUEUES]

    def queryset(self, request, queryset):
        if self.value() in DESK_QUEUES:
            return desk_queue(
                queryset, self.value(), user=request.user, today=timezone.localdate()
            )
        return queryset


class AssignedToMeFilter(admin.SimpleListFilter):
    title = _("assignment")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("assigned to me")), ("nobody", _("not assigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset


# The queue's search ---------------------------------------------------------------------


def search_words(search_term):
    """The words of a search as the admin splits them: "quoted phrases" are
    one word."""
    for word in smart_split(search_term):
        if word[:1] in ('"', "'") and word[0] == word[-1] and len(word) > 1:
            word = unescape_string_literal(word)
        if word:
            yield word


def any_contains(lookups, word):
    # The trigram indexes serve words of three characters or more. A shorter
    # one is looked for by reading the table, and where case cannot matter
    # (Chinese characters, kana, digits) without upper-casing every value
    # first: three times faster.
    uncased = word.upper() == word.lower()
    operator = "contains" if len(word) < 3 and uncased else "icontains"
    return reduce(or_, (Q(**{f"{lookup}__{operator}": word}) for lookup in lookups))


def word_runs(word) -> list[tuple[bool, str]]:
    """A search word's runs of letters or digits, folded as the search column
    is (punctuation, symbols and a change of script separate them); at most
    MAX_SEARCH_WORDS of them, as a search has at most that many words."""
    return runs(fold(word))[:MAX_SEARCH_WORDS]


def word_pattern(found) -> str:
    """What a request's search column holds where one of its columns holds a
    word of these runs (text_index.index_form).

    A word of one run is found anywhere: a CJK run as its pairs, a run of
    three letters or digits or more inside a word, a shorter one (which a
    trigram index cannot find inside a word) at a word's start. A word of
    several runs (BJ-2026-0042, 北京2026) is found where its runs come in
    that order, as the column holds them: the runs between the first and the
    last whole, the first ending and the last starting where the word's do."""
    if len(found) == 1:
        cjk, run = found[0]
        return cjk_pattern(run) if cjk else run if len(run) >= 3 else " " + run
    parts = []
    for index, (cjk, run) in enumerate(found):
        if not cjk or len(run) == 1:
            parts.append(run)
        elif index == len(found) - 1:
            parts.append(" ".join(pairs(run)))  # the column's run may go on
        else:
            parts.append(" ".join([*pairs(run), run[-1]]))
    return " ".join(parts)


def searched_columns_hold(word):
    """Requests whose own searched columns hold `word` (word_pattern), read
    from the index of their `search` column (models.SupportRequest.search)."""
    found = word_runs(word)
    if not found:
        return Q(pk__in=[])
    return Q(search__contains=word_pattern(found))


def places_named(model, region, found):
    """The keys of the places (of `model`) whose name or whose region's name
    holds each of the runs `found`, in either language: a list, so that the
    queue's query looks them up in its index."""
    fields = get_translation_fields("name", f"{region}__name")
    places = model.objects.all()
    for _cjk, run in found:
        places = places.filter(any_contains(fields, run))
    return list(places.values_list("pk", flat=True))


# The request's thread -------------------------------------------------------------------

# "PDF", "Word"...: the formats the content checks accept, by the type they store.
FILE_KINDS = {format.mime: format.label for format in ATTACHMENT_FORMATS.values()}


def file_kind(attachment):
    return FILE_KINDS.get(attachment.content_type) or _("file")


def attachment_url(attachment):
    return reverse(
        "admin:support_requests_supportrequest_attachment",
        args=[attachment.request_id, attachment.pk],
    )


def download_links(attachments):
    """Each file as a download link named by its name, kind and size
    ("計画書.pdf (PDF, 33.9 KB)"); format_html_join escapes the names, the
    requester's text."""
    return format_html_join(
        ", ",
        '<a href="{}" download>{}</a> <span class="file-kind">({}, {})</span>',
        (
            (
                attachment_url(attachment),
                attachment.original_name,
                file_kind(attachment),
                filesizeformat(attachment.size),
            )
            for attachment in attachments
        ),
    )


class ThreadEntry:
    """One entry of a request's thread, for the template."""

    def __init__(self, *, at, kind, label, who, body="", files=(), lines=()):
        self.at = at
        self.kind = kind  # requester, staff, internal, status, correction
        self.label = label
        self.who = who
        self.body = body
        self.files = download_links(files) if files else ""
        self.lines = lines


def user_name(user):
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def request_thread(support_request, *, with_files: bool) -> list[ThreadEntry]:
    """The request's submission, messages (the requester's, staff's, internal
    notes), status changes and corrections, oldest first: five queries."""
    messages_ = support_request.messages.select_related("author").prefetch_related(
        "attachments"
    )
    entries = [
        ThreadEntry(
            at=support_request.created_at,
            kind="requester",
            label=_("Request sent"),
            who=support_request.contact_name,
            files=support_request.attachments.filter(message__isnull=True)
            if with_files
            else (),
        )
    ]
    for message in messages_:
        if message.from_requester:
            kind, label, who = (
                "requester",
                _("From the requester"),
                (support_request.contact_name),
            )
        elif message.internal:
            kind, label = "internal", _("Internal note: never sent to the requester")
            who = user_name(message.author)
        else:
            kind, label = "staff", _("Sent to the requester")
            who = user_name(message.author)
        entries.append(
            ThreadEntry(
                at=message.created_at,
                kind=kind,
                label=label,
                who=who,
                body=message.body,
                files=message.attachments.all() if with_files else (),
            )
        )
    for change in support_request.status_changes.select_related("changed_by"):
        if not change.from_status:
            continue  # the submission's own status, shown by "Request sent"
        entries.append(
            ThreadEntry(
                at=change.changed_at,
                kind="status",
                label=_("Status: %(from)s → %(to)s")
                % {
                    "from": change.get_from_status_display(),
                    "to": change.get_to_status_display(),
                },
                who=user_name(change.changed_by),
            )
        )
    for correction in support_request.corrections.select_related("corrected_by"):
        entries.append(
            ThreadEntry(
                at=correction.corrected_at,
                kind="correction",
                label=_("Corrected: %(field)s") % {"field": correction.field_label},
                who=user_name(correction.corrected_by),
                lines=[correction.old_value, correction.new_value],
            )
        )
    entries.sort(key=lambda entry: entry.at)
    return entries


def is_internal(value):
    return value in (True, "True")


class NewMessageForm(forms.ModelForm):
    """The reply box: a message to the requester or an internal note."""

    internal = forms.TypedChoiceField(
        label=_("send as"),
        choices=[
            (True, _("internal note: never shown or mailed to the requester")),
            (
                False,
                _("message to the requester: shown on their page and mailed to them"),
            ),
        ],
        coerce=is_internal,
        initial=True,
        widget=forms.RadioSelect,
    )
    attachment = forms.FileField(
        label=_("file"),
        required=False,
        validators=[validate_attachment],
        help_text=_("PDF, Word, Excel, PowerPoint, JPEG or PNG."),
    )

    class Meta:
        model = RequestMessage
        fields = ["internal", "body"]
        field_classes = {"body": TextField}


class NewMessageFormSet(BaseInlineFormSet):
    def post(self, *, user):
        """Post each filled form with support_request_post_message (a message
        to the requester is mailed after the commit, an internal note never)."""
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.forms:
            if not form.has_changed():
                continue
            upload = form.cleaned_data.get("attachment")
            self.new_objects.append(
                support_request_post_message(
                    request=self.instance,
                    body=form.cleaned_data["body"],
                    user=user,
                    internal=form.cleaned_data["internal"],
                    attachments=[upload] if upload else [],
                )
            )
        return self.new_objects


class NewMessageInline(admin.StackedInline):
    """A form to write an internal note or a message to the requester."""

    model = RequestMessage
    form = NewMessageForm
    formset = NewMessageFormSet
    fields = ["internal", "body", "attachment"]
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = _("new message")
    verbose_name_plural = _("reply or write an internal note")
    template = "admin/support_requests/reply_box.html"

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_view_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The request ---------------------------------------------------------------------------

REQUESTER_FIELD = {
    RequestKind.ACTIVITY_SUPPORT: "government",
    RequestKind.OVERSEAS_RESEARCH: "government",
    RequestKind.EXPERT_DISPATCH: "chinese_government",
}
KIND_FIELDSETS = {
    RequestKind.ACTIVITY_SUPPORT: [
        "purpose",
        ("stay_start", "stay_end"),
        "destinations",
        ("delegation_leader", "delegation_size"),
        "services",
    ],
    RequestKind.OVERSEAS_RESEARCH: [
        "research_subject",
        "research_questions",
        "needed_by",
    ],
    RequestKind.EXPERT_DISPATCH: [
        "expert_field",
        "expert_subject",
        ("wished_start", "wished_end"),
        "purpose",
    ],
}
CONTACT_FIELDS = ["department", "contact_name", "email", "phone"]
TRACKING_FIELDS = ["consented_at", "created_at", "updated_at"]
# Given by support_request_submit; the kind fixes which government asks.
ALWAYS_READ_ONLY = ["reference", "fiscal_year", *TRACKING_FIELDS]


def without_seen(fields, seen):
    """`fields` (names, or tuples of names shown on one line) less those in
    `seen`, which gains them."""
    kept = []
    for entry in fields:
        names = entry if isinstance(entry, tuple) else (entry,)
        names = tuple(name for name in names if name not in seen)
        seen.update(names)
        if names:
            kept.append(names if len(names) > 1 else names[0])
    return kept


class DeskActionForm(ActionForm):
    """The queue's bulk actions, with whom to assign to and which status to
    move to."""

    assignee = forms.ModelChoiceField(
        label=_("assign to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("nobody"),
    )
    status = forms.ChoiceField(
        label=_("new status"),
        choices=[("", "---------"), *SupportRequest.Status.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = desk_members()

    @classmethod
    def chosen(cls, request, name):
        """The value chosen beside the action (the admin has validated the
        form already, with the actions as choices): raises ValidationError."""
        return cls().fields[name].clean(request.POST.get(name))


class CorrectionForm(forms.ModelForm):
    """What the requester sent, as staff correct it: held to the public
    form's rules for the telephone number and the order of the dates."""

    class Meta:
        model = SupportRequest
        fields = CORRECTABLE_FIELDS
        field_classes = plain_text_field_classes(SupportRequest, CORRECTABLE_FIELDS)

    def clean_phone(self):
        return cleaned_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        for start, end in PERIODS:
            if start in self.fields and end in self.fields:
                check_period(self, start, end)
        return cleaned


def correctable_fields(support_request):
    kind_fields = [
        name
        for entry in KIND_FIELDSETS[support_request.kind]
        for name in (entry if isinstance(entry, tuple) else (entry,))
    ]
    return [
        name for name in [*CONTACT_FIELDS, *kind_fields] if name in CORRECTABLE_FIELDS
    ]


@admin.register(SupportRequest)
class SupportRequestAdmin(
    PlainTextFieldsMixin, BoundedChangeListMixin, ExportAdminMixin, CheckedHistoryAdmin
):
    # Export only: requests come in through the public form, never a file.
    resource_classes = [SupportRequestResource]
    # The tracking page is the requester's alone (staff could read and post
    # there as the requester): no "view on site", and the link is never shown;
    # the desk can mail it to the requester's address again.
    view_on_site = False
    secret_fields = ("token",)
    # Who acted last and when: each row of the history says so already.
    history_hidden_fields = ("last_activity_at", "last_activity_by", "updated_at")
    # The public form and mailed replies act without a user (as the queue's
    # "latest activity" says).
    history_without_user = _("the requester")

    def history_value_label(self, record, field_name, value):
        # An expert dispatch names the statuses by its own steps.
        if field_name == "status":
            return kind_status_label(record.kind, value)
        return None

    list_display = [
        "reference_display",
        "status_label",
        "requester_display",
        "kind",
        "age",
        "due",
        "latest_activity",
        "assignee",
    ]
    list_display_links = ["reference_display"]
    list_filter = [
        DeskQueueFilter,
        "status",
        "kind",
        "fiscal_year",
        PrefectureFilter,
        ProvinceFilter,
        ("assignee", AssigneeFilter),
        AssignedToMeFilter,
    ]
    list_select_related = ["government__prefecture", "chinese_government__province"]
    list_prefetch_related = ["assignee", "last_activity_by"]
    # Both have an index (support_requests' migration 0004), as have the
    # searched columns.
    ordering = ["-created_at", "-pk"]
    search_fields = list(SEARCHED_FIELDS)
    autocomplete_fields = ["government", "chinese_government"]
    action_form = DeskActionForm
    actions = ["assign_to_me", "assign", "change_status", "send_tracking_link"]
    inlines = [NewMessageInline]
    change_form_template = "admin/support_requests/supportrequest/change_form.html"

    class Media:
        css = {"all": ["support_requests/desk.css"]}
        js = ["support_requests/desk.js"]

    # The queue

    def changelist_view(self, request, extra_context=None):
        # The queue and its filters need the width: no app list beside them.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def bounded_search_results(self, request, queryset, search_term):
        """Requests with every word of the search in their own columns (those
        of search_fields, read from their folded copy) or in the name of their
        government or of its region, in either language.

        The governments are looked up first, in their own small tables, and
        the queue by their keys: a single OR over the joined names made
        PostgreSQL read every request and upper-case twelve columns of each
        (100 ms at scale 100); this way each part has its index."""
        for word in search_words(search_term):
            found = word_runs(word)
            if not found:  # punctuation alone: nothing to look for
                return queryset.none(), False
            queryset = queryset.filter(
                searched_columns_hold(word)
                | Q(
                    government__in=places_named(
                        JapaneseLocalGovernment, "prefecture", found
                    )
                )
                | Q(
                    chinese_government__in=places_named(
                        ChineseLocalGovernment, "province", found
                    )
                )
            )
        return queryset, False

    @admin.display(description=_("reference"), ordering="reference")
    def reference_display(self, support_request):
        return format_html(
            '<span class="reference">{}</span>', support_request.reference
        )

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, support_request):
        return format_html(
            '<span class="status-label status-{}">{}</span>',
            support_request.status,
            support_request.get_status_display(),
        )

    @admin.display(description=_("requester"))
    def requester_display(self, support_request):
        requester = support_request.requester
        return requester.full_name() if requester else None

    @admin.display(description=_("age (working days)"), ordering="created_at")
    def age(self, support_request):
        return working_days_between(
            timezone.localdate(support_request.created_at), timezone.localdate()
        )

    @admin.display(description=_("due"), ordering="due_on")
    def due(self, support_request):
        if not support_request.due_on or not support_request.is_open:
            return self.get_empty_value_display()
        due_on = date_format(support_request.due_on, "SHORT_DATE_FORMAT")
        if support_request.waiting_for == WaitingFor.REQUESTER:
            return format_html(
                '<span class="due waiting">{}</span>', _("waiting for the requester")
            )
        if support_request.due_on < timezone.localdate():
            return format_html(
                '<span class="due late">{} <strong>{}</strong></span>',
                due_on,
                _("late"),
            )
        return format_html('<span class="due">{}</span>', due_on)

    @admin.display(description=_("latest activity"), ordering="last_activity_at")
    def latest_activity(self, support_request):
        at = support_request.last_activity_at
        if at is None:
            return self.get_empty_value_display()
        who = user_name(support_request.last_activity_by) or _("the requester")
        return format_html(
            '<time datetime="{}">{}</time><br><span class="who">{}</span>',
            at.isoformat(),
            date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT"),
            who,
        )

    def _assigned(self, request, requests, assignee):
        for support_request in requests:
            self.log_change(
                request, support_request, [{"changed": {"fields": ["assignee"]}}]
            )

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        if not desk_members().filter(pk=request.user.pk).exists():
            self.message_user(
                request,
                _("Only members of the support desk can be assigned requests."),
                messages.ERROR,
            )
            return
        changed = support_request_assign(
            requests=queryset, assignee=request.user, user=request.user
        )
        self._assigned(request, changed, request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d request assigned to you.",
                "%(count)d requests assigned to you.",
                len(changed),
            )
            % {"count": len(changed)},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Assign to the member chosen beside"), permissions=["change"]
    )
    def assign(self, request, queryset):
        try:
            assignee = DeskActionForm.chosen(request, "assignee")
        except ValidationError:
            self.message_user(request, _("Choose a desk member."), messages.ERROR)
            return
        changed = support_request_assign(
            requests=queryset, assignee=assignee, user=request.user
        )
        self._assigned(request, changed, assignee)
        self.message_user(
            request,
            ngettext(
                "%(count)d request assigned to %(name)s.",
                "%(count)d requests assigned to %(name)s.",
                len(changed),
            )
            % {
                "count": len(changed),
                "name": user_name(assignee) if assignee else _("nobody"),
            },
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Move to the status chosen beside"), permissions=["change"]
    )
    def change_status(self, request, queryset):
        try:
            status = DeskActionForm.chosen(request, "status")
        except ValidationError:
            status = None
        if not status:
            self.message_user(request, _("Choose a status."), messages.ERROR)
            return
        changed = [
            support_request
            for support_request in queryset
            if support_request_change_status(
                request=support_request, status=status, user=request.user
            )
        ]
        for support_request in changed:
            self.log_change(
                request, support_request, [{"changed": {"fields": ["status"]}}]
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d request moved to “%(status)s”; its requester is told.",
                "%(count)d requests moved to “%(status)s”; their requesters are told.",
                len(changed),
            )
            % {
                "count": len(changed),
                "status": SupportRequest.Status(status).label,
            },
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Mail the tracking link to the requester again"),
        permissions=["change"],
    )
    def send_tracking_link(self, request, queryset):
        requests = list(queryset)
        for support_request in requests:
            support_request_send_tracking_link(request=support_request)
            self.log_change(
                request, support_request, _("Tracking link mailed to the requester")
            )
        self.message_user(
            request,
            ngettext(
                "The tracking link of %(count)d request will be mailed to its "
                "requester.",
                "The tracking links of %(count)d requests will be mailed to their "
                "requesters.",
                len(requests),
            )
            % {"count": len(requests)},
            messages.SUCCESS,
        )

    # The change page: the requester's data read-only, the thread, the reply
    # box, status and assignee beside it.

    def get_fieldsets(self, request, obj=None):
        adding = obj is None
        kinds = list(RequestKind) if adding else [RequestKind(obj.kind)]
        seen = set()
        if adding:
            general = ["kind", "status", "assignee", "language"]
        else:
            general = ["status", "assignee"]
        fieldsets = [
            (
                None,
                {
                    "fields": general,
                    "description": _(
                        "The reference and the fiscal year are given on saving, "
                        "and the requester is sent the link to follow the request."
                    )
                    if adding
                    else None,
                },
            ),
            (
                _("requester"),
                {
                    "fields": without_seen(
                        [*(REQUESTER_FIELD[kind] for kind in kinds), *CONTACT_FIELDS],
                        seen,
                    )
                },
            ),
        ]
        for kind in kinds:
            fieldsets.append(
                (kind.label, {"fields": without_seen(KIND_FIELDSETS[kind], seen)})
            )
        if not adding:
            fieldsets.append(
                (
                    _("tracking"),
                    {
                        "fields": [
                            "reference",
                            "kind",
                            "language",
                            "fiscal_year",
                            *TRACKING_FIELDS,
                        ],
                        "description": _(
                            "The tracking page is the requester's private link, "
                            "known only to the requester. To send it again, use "
                            "the action “Mail the tracking link to the requester "
                            "again” in the list."
                        ),
                    },
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ALWAYS_READ_ONLY
        # What the requester sent is read-only: staff correct it with
        # "Correct", which keeps the value before in the thread.
        editable = {"status", "assignee"}
        return [
            *ALWAYS_READ_ONLY,
            *(
                field.name
                for field in self.model._meta.get_fields()
                if (field.concrete or field.many_to_many)
                and field.name not in editable
                and field.name not in ALWAYS_READ_ONLY
                and not field.auto_created
            ),
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = desk_members()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        assignee = form.base_fields.get("assignee")
        if obj is not None and obj.assignee_id and assignee is not None:
            # One who has left the desk stays the assignee until another is
            # chosen: listed, so that a page sent with it untouched keeps it
            # (an unknown choice read as a change, and a note unassigned).
            assignee.queryset = (
                get_user_model()
                .objects.filter(
                    Q(pk__in=desk_members().values("pk")) | Q(pk=obj.assignee_id)
                )
                .order_by("username")
            )
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("status", "assignee"):
            # The page posts the status and assignee it was drawn with beside
            # the ones chosen, so that a change is what this person changed:
            # a reply sent from a page opened before a colleague closed the
            # request put it back to the old status and mailed the requester.
            formfield.show_hidden_initial = True
        if db_field.name == "assignee" and isinstance(
            formfield.widget, RelatedFieldWidgetWrapper
        ):
            # A desk member is chosen here, never added or edited: the user
            # admin's four icons beside the list ran past a phone's screen.
            formfield.widget = formfield.widget.widget
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "services":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, **kw):
        context["show_save_and_add_another"] = False
        context["show_save_as_new"] = False
        obj = context.get("original")
        if obj is not None:
            context.update(self.desk_context(request, obj))
        return super().render_change_form(request, context, add, change, **kw)

    def desk_context(self, request, obj):
        with_files = admin_views.can_download_attachments(request, self, obj)
        # Titles in the admin's language, for staff; texts in the requester's.
        canned = []
        for reply in CannedReply.objects.all():
            with translation.override(obj.language):
                body = str(reply.body)
            canned.append((reply.pk, str(reply.title), body))
        return {
            "thread": request_thread(obj, with_files=with_files),
            "canned_replies": canned,
            "requester_language": obj.language,
            "age_working_days": self.age(obj),
            "due_display": self.due(obj),
            "status_label": self.status_label(obj),
            "can_correct": self.has_change_permission(request, obj),
            "correct_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_correct",
                args=[obj.pk],
            ),
        }

    def save_model(self, request, obj, form, change):
        """A new request goes through support_request_submit (reference, fiscal
        year, confirmation mail); a status change through
        support_request_change_status, with the user and a mail to the
        requester; a new assignee through support_request_assign."""
        if not change:
            fields = dict(form.cleaned_data)
            created = support_request_submit(
                services=fields.pop("services", ()), **fields
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            obj._state.adding = False
            return
        if "assignee" in form.changed_data:
            assignee = obj.assignee
            obj.assignee_id = form.initial.get("assignee")
            support_request_assign(requests=[obj], assignee=assignee, user=request.user)
        if "status" in form.changed_data:
            support_request_change_status(
                request=obj, status=obj.status, user=request.user
            )
        obj.refresh_from_db()

    def revert_disabled(self, request, obj=None):
        # A request's status and assignee change through the services, which
        # record and mail the change: "Revert" would go around them, and
        # said "changed" while it changed nothing. Past versions are read.
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_related(self, request, form, formsets, change):
        # The services are the requester's data, read-only once sent.
        if not change:
            return super().save_related(request, form, formsets, change)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, NewMessageFormSet):
            formset.post(user=request.user)
        else:
            super().save_formset(request, form, formset, change)

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/attachments/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name=f"{info}_attachment",
            ),
            path(
                "<path:object_id>/correct/",
                self.admin_site.admin_view(self.correct_view),
                name=f"{info}_correct",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, object_id, attachment_id):
        return admin_views.attachment_download(
            request, unquote(object_id), attachment_id, model_admin=self
        )

    def correct_view(self, request, object_id):
        """Staff correct what the requester sent: the change is kept, with
        the value before, in the thread and the request's history."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        fields = correctable_fields(obj)
        form_class = forms.modelform_factory(
            SupportRequest, form=CorrectionForm, fields=fields
        )
        form = form_class(request.POST or None, instance=obj)
        if request.method == "POST" and form.is_valid():
            try:
                corrections = support_request_correct(
                    request=obj,
                    changes={
                        name: form.cleaned_data[name] for name in form.changed_data
                    },
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if corrections:
                    self.log_change(
                        request,
                        obj,
                        [{"changed": {"fields": [c.field for c in corrections]}}],
                    )
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d correction kept in the thread.",
                        "%(count)d corrections kept in the thread.",
                        len(corrections),
                    )
                    % {"count": len(corrections)},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                        args=[obj.pk],
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Correct what the requester sent"),
            "subtitle": obj.reference,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(
            request, "admin/support_requests/supportrequest/correct.html", context
        )


@admin.register(SupportService)
class SupportServiceAdmin(TranslatedAdmin):
    resource_classes = [SupportServiceResource]
    list_display = ["name", "code", "position"]
    search_fields = ["code", "name"]


@admin.register(SupportYearlyFigure)
class SupportYearlyFigureAdmin(ProgramAdmin):
    resource_classes = [SupportYearlyFigureResource]
    list_display = ["fiscal_year", "kind", "count"]
    list_filter = ["fiscal_year", "kind"]
    inlines = [PhotoInline]


@admin.register(SupportExample)
class SupportExampleAdmin(FiscalYearRecordMixin, TranslatedAdmin):
    resource_classes = [SupportExampleResource]
    list_display = ["title", "fiscal_year", "places", "position"]
    search_fields = ["title", "places", "participants"]
    autocomplete_fields = ["governments"]


@admin.register(CannedReply)
class CannedReplyAdmin(
    BoundedSearchMixin,
    PlainTextFieldsMixin,
    LanguageMarkedFieldsMixin,
    CheckedHistoryAdmin,
    TranslationAdmin,
):
    """Replies the desk often writes, in both languages side by side: the
    reply box inserts one in the requester's language. No import or export."""

    list_display = ["title", "position"]
    search_fields = ["title", "body"]


@admin.register(UnsortedMail)
class UnsortedMailAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """Mail to a reply address that matched no request, or was forged: staff
    read it and add what matters to the right request by hand."""

    list_display = ["received_at", "sender", "subject", "reason", "sorted"]
    list_filter = ["sorted", "reason"]
    list_editable = ["sorted"]
    # A reply that matched no request may quote a tracking link, and was sent
    # to a signed reply address (mail to it is filed as the requester's).
    secret_fields = ("body", "recipient")
    fields = [
        "received_at",
        "message_id",
        "sender",
        "recipient_shown",
        "subject",
        "body_shown",
        "reason",
        "sorted",
    ]
    readonly_fields = fields[:-1]
    search_fields = ["sender", "subject"]

    @admin.display(description=_("text"))
    def body_shown(self, mail):
        # A tracking link quoted in the mail is the requester's alone.
        return redact(mail.body)

    @admin.display(description=pgettext_lazy("mail", "to"))
    def recipient_shown(self, mail):
        # The reply address's signature would let staff write as the
        # requester: shown as +BJ-2026-0001.…@.
        return without_signature(mail.recipient)

    def has_add_permission(self, request):
        return False
