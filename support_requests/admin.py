"""The support desk (support requests: queue, status, messages, files) and
the admin of the support menu and the published figures.

Every write of a request's status or messages goes through services.py, so
each one is recorded with who and when and its mail leaves after the commit.
"""

from functools import reduce
from operator import or_

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.db.models.constants import LOOKUP_SEP
from django.forms.models import BaseInlineFormSet
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.utils import get_translation_fields

from clair_portal.foundation.admin import (
    BoundedChangeListMixin,
    ExportAdminMixin,
    FiscalYearRecordMixin,
    PhotoInline,
    ProgramAdmin,
    TranslatedAdmin,
)
from clair_portal.foundation.history_admin import CheckedHistoryAdmin
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
)

from . import admin_views
from .models import (
    RequestAttachment,
    RequestKind,
    RequestMessage,
    StatusChange,
    SupportExample,
    SupportRequest,
    SupportService,
    SupportYearlyFigure,
)
from .resources import (
    SupportExampleResource,
    SupportRequestResource,
    SupportServiceResource,
    SupportYearlyFigureResource,
)
from .services import (
    support_request_change_status,
    support_request_post_message,
    support_request_send_tracking_link,
    support_request_submit,
)
from .validators import validate_attachment

# The queue's filters ------------------------------------------------------------------


class RegionFilter(admin.SimpleListFilter):
    """Requests from a region (a Japanese prefecture, a Chinese province), the
    region's own government included. Lists only regions with requests."""

    requester_field: str  # the requesting government on SupportRequest
    parent_field: str  # the region on that government's model

    def lookups(self, request, model_admin):
        # One index probe per region (there are a few dozen) rather than the
        # governments of every request: the queue is the large table.
        place = SupportRequest._meta.get_field(self.requester_field).related_model
        requests = SupportRequest.objects.order_by()
        regions = place.objects.filter(
            Exists(requests.filter(**{self.requester_field: OuterRef("pk")}))
            | Exists(
                requests.filter(
                    **{f"{self.requester_field}__{self.parent_field}": OuterRef("pk")}
                )
            ),
            **{f"{self.parent_field}__isnull": True},
        )
        return [(region.pk, region.name) for region in regions]

    def queryset(self, request, queryset):
        value = self.value()
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
    """The staff, whom a request can be assigned to, rather than the distinct
    assignees of every request (a read of the whole queue)."""

    def field_choices(self, field, request, model_admin):
        return field.get_choices(
            include_blank=False,
            limit_choices_to={"is_staff": True},
            ordering=self.field_admin_ordering(field, request, model_admin),
        )


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


def places_named(model, region, word):
    """The keys of the places (of `model`) whose name, or whose region's name,
    holds `word` in either language: a list, so that the queue's query looks
    them up in its index."""
    return list(
        model.objects.filter(
            any_contains(
                get_translation_fields("name", f"{region}__name"),
                word,
            )
        ).values_list("pk", flat=True)
    )


# Inlines of the change page ----------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    """Records the desk reads on a request's page but never edits there."""

    template = "admin/support_requests/readonly_tabular.html"
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def attachment_url(attachment):
    return reverse(
        "admin:support_requests_supportrequest_attachment",
        args=[attachment.request_id, attachment.pk],
    )


def download_links(attachments):
    # format_html_join escapes the file names: they are the requester's text.
    return format_html_join(
        ", ",
        '<a href="{}" download>{}</a>',
        (
            (attachment_url(attachment), attachment.original_name)
            for attachment in attachments
        ),
    )


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    verbose_name = _("status change")
    verbose_name_plural = _("status history")
    fields = ["changed_at", "from_status", "to_status", "changed_by_display"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("request", "changed_by")

    @admin.display(description=_("changed by"))
    def changed_by_display(self, change):
        if change.changed_by:
            return change.changed_by.get_username()
        if not change.from_status:
            return _("on submission")
        return self.get_empty_value_display()


def message_kind(message):
    if message.from_requester:
        return _("From the requester")
    if message.internal:
        return _("Internal note (not shown to the requester)")
    return _("Sent to the requester")


class RequestMessageInline(ReadOnlyInline):
    """Every message of a request, the requester's and internal notes too."""

    model = RequestMessage
    verbose_name = _("message")
    verbose_name_plural = _("messages")
    fields = ["created_at", "kind", "written_by", "body", "files"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("request", "author")
            .prefetch_related("attachments")
        )

    @admin.display(description=_("kind"))
    def kind(self, message):
        return message_kind(message)

    @admin.display(description=_("written by"))
    def written_by(self, message):
        if message.from_requester:
            return message.request.contact_name
        if message.author:
            return message.author.get_username()
        return self.get_empty_value_display()

    @admin.display(description=_("files"))
    def files(self, message):
        return (
            download_links(message.attachments.all()) or self.get_empty_value_display()
        )


def is_internal(value):
    return value in (True, "True")


class NewMessageForm(forms.ModelForm):
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
    verbose_name_plural = _("write a message or an internal note")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_view_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequestAttachmentInline(ReadOnlyInline):
    model = RequestAttachment
    verbose_name = _("attachment")
    verbose_name_plural = _("attachments")
    fields = ["download", "content_type", "size", "sent_by", "shared", "uploaded_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("request", "message")

    @admin.display(description=_("file"))
    def download(self, attachment):
        return download_links([attachment])

    @admin.display(description=_("sent by"))
    def sent_by(self, attachment):
        return _("the requester") if attachment.from_requester else _("the office")

    @admin.display(description=_("seen by the requester"))
    def shared(self, attachment):
        message = attachment.message
        if attachment.from_requester or (message and not message.internal):
            return _("yes")
        return _("no (internal)")


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


@admin.register(SupportRequest)
class SupportRequestAdmin(
    BoundedChangeListMixin, ExportAdminMixin, CheckedHistoryAdmin
):
    # Export only: requests come in through the public form, never a file.
    resource_classes = [SupportRequestResource]
    # The tracking page is the requester's alone (staff could read and post
    # there as the requester): no "view on site", and the link is never shown;
    # the desk can mail it to the requester's address again.
    view_on_site = False
    list_display = [
        "reference",
        "requester_display",
        "kind",
        "status",
        "fiscal_year",
        "assignee",
        "created_at",
        "updated_at",
    ]
    list_filter = [
        "status",
        "kind",
        "fiscal_year",
        PrefectureFilter,
        ProvinceFilter,
        ("assignee", AssigneeFilter),
        AssignedToMeFilter,
    ]
    list_select_related = [
        "government__prefecture",
        "chinese_government__province",
        "assignee",
    ]
    # Both have an index (support_requests' migration 0004), as have the
    # searched columns.
    ordering = ["-created_at", "-pk"]
    search_fields = ["reference", "contact_name", "email", "department"]
    autocomplete_fields = ["government", "chinese_government"]
    filter_horizontal = ["services"]
    actions = ["assign_to_me", "send_tracking_link"]
    inlines = [
        StatusChangeInline,
        RequestMessageInline,
        NewMessageInline,
        RequestAttachmentInline,
    ]

    # The queue

    def lookup_allowed(self, lookup, value, request=None):
        # The admin allows any lookup on a model's own fields in the URL:
        # ?token__startswith= would let the desk find a requester's key one
        # letter at a time.
        if lookup.split(LOOKUP_SEP)[0] == "token":
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request, queryset, search_term):
        """Requests with every word of the search in their own columns or in
        the name of their government or of its region, in either language.

        The governments are looked up first, in their own small tables, and
        the queue by their keys: a single OR over the joined names made
        PostgreSQL read every request and upper-case twelve columns of each
        (100 ms at scale 100); this way each part has its index."""
        for word in search_words(search_term):
            queryset = queryset.filter(
                any_contains(self.search_fields, word)
                | Q(
                    government__in=places_named(
                        JapaneseLocalGovernment, "prefecture", word
                    )
                )
                | Q(
                    chinese_government__in=places_named(
                        ChineseLocalGovernment, "province", word
                    )
                )
            )
        return queryset, False

    @admin.display(description=_("requester"))
    def requester_display(self, support_request):
        requester = support_request.requester
        return requester.full_name() if requester else None

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        requests = list(queryset.exclude(assignee=request.user))
        # One save per request rather than update(): each is recorded in the
        # request's history and the admin log.
        for support_request in requests:
            support_request.assignee = request.user
            support_request.save(update_fields=["assignee", "updated_at"])
            self.log_change(
                request, support_request, [{"changed": {"fields": ["assignee"]}}]
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d request assigned to you.",
                "%(count)d requests assigned to you.",
                len(requests),
            )
            % {"count": len(requests)},
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

    # The change page

    def get_fieldsets(self, request, obj=None):
        adding = obj is None
        kinds = list(RequestKind) if adding else [RequestKind(obj.kind)]
        seen = set()
        general = ["kind", "status", "assignee", "language"]
        if not adding:
            general = ["reference", *general, "fiscal_year"]
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
                        "fields": TRACKING_FIELDS,
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
        return [*ALWAYS_READ_ONLY, "kind"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = get_user_model().objects.filter(
                is_staff=True, is_active=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """A new request goes through support_request_submit (reference, fiscal
        year, confirmation mail); a status change through
        support_request_change_status, with the user and a mail to the
        requester. The other fields are saved without the status, so that a
        change made meanwhile by someone else is not overwritten."""
        if not change:
            fields = dict(form.cleaned_data)
            created = support_request_submit(
                services=fields.pop("services", ()), **fields
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            obj._state.adding = False
            return
        status = obj.status
        obj.save(
            update_fields=[
                field.name
                for field in obj._meta.concrete_fields
                if not field.primary_key and field.name != "status"
            ]
        )
        if "status" in form.changed_data:
            support_request_change_status(request=obj, status=status, user=request.user)
            obj.refresh_from_db(fields=["status", "updated_at"])

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, NewMessageFormSet):
            formset.post(user=request.user)
        else:
            super().save_formset(request, form, formset, change)

    # Attachments

    def get_urls(self):
        return [
            path(
                "<path:object_id>/attachments/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_attachment",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, object_id, attachment_id):
        return admin_views.attachment_download(
            request, unquote(object_id), attachment_id, model_admin=self
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
