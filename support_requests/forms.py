"""The public request forms (activity support or overseas research, expert
dispatch) and the requester's reply form on the tracking page.

The forms only validate and say what to save (`submission()`); the services
save it. Every message is in the page's language, beside its field."""

import itertools
import re
import unicodedata
from operator import attrgetter

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
)
from experts.models import ExpertField

from .models import JAPANESE_KINDS, RequestKind, SupportService
from .validators import (
    ACCEPT,
    MAX_ATTACHMENT_SIZE,
    MAX_ATTACHMENTS,
    validate_attachments,
)

FIELD_TEMPLATE = "support_requests/_field.html"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
# Digits, spaces, + - ( ) and an optional extension, after full-width digits
# and signs have been made half-width.
PHONE = re.compile(r"^\+?[0-9()\- ]{6,24}(?:(?:ext\.?|x|内線|转|分机) ?[0-9]{1,6})?$")


# Widgets and fields ---------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one <input type="file" multiple>: cleans to a list."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        cleaned = [
            super(MultipleFileField, self).clean(file, initial) for file in files
        ]
        validate_attachments(cleaned)
        return cleaned


def _attachments_help():
    return gettext(
        "Up to %(max)d files of %(size)s each: PDF, Word, Excel, PowerPoint, JPEG "
        "or PNG."
    ) % {"max": MAX_ATTACHMENTS, "size": filesizeformat(MAX_ATTACHMENT_SIZE)}


class AttachmentsField(MultipleFileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault("help_text", lazy(_attachments_help, str)())
        super().__init__(**kwargs)


class DateField(forms.DateField):
    """A date picker where the browser has one; 2026-05-01 or 2026/05/01 typed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        )
        super().__init__(**kwargs)


class ChildPlaceSelect(forms.Select):
    """Municipalities (or cities) grouped by their prefecture (or province),
    each option naming its parent in data-parent, for static/.../forms.js."""

    def __init__(self, parent_attribute, attrs=None):
        self.parent_attribute = parent_attribute
        super().__init__(attrs)

    def create_option(self, name, value, label, selected, index, **kwargs):
        option = super().create_option(name, value, label, selected, index, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            parent_id = getattr(instance, f"{self.parent_attribute}_id")
            option["attrs"]["data-parent"] = str(parent_id)
        return option


class GroupedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """Choices in <optgroup>s by parent; the queryset is ordered by parent."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        parent_of = attrgetter(self.field.widget.parent_attribute)
        for parent, children in itertools.groupby(self.queryset, key=parent_of):
            yield (str(parent), [self.choice(child) for child in children])


class ChildPlaceField(forms.ModelChoiceField):
    iterator = GroupedModelChoiceIterator

    def __init__(self, queryset, *, parent_attribute, **kwargs):
        kwargs.setdefault("widget", ChildPlaceSelect(parent_attribute))
        super().__init__(queryset.select_related(parent_attribute), **kwargs)


# Forms ------------------------------------------------------------------------------


class AccessibleFormMixin:
    """Every field rendered through _field.html, which puts its help and its
    errors beside it (Django ties them to the field with aria-describedby),
    plain labels, and the list of errors for the summary at the top."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE

    def summary_errors(self):
        """(anchor id, field label, message) of every error, in the form's
        order; a group of radios or checkboxes is reached by its first one."""
        for bound in self:
            anchor = bound.id_for_label or f"{bound.auto_id}_0"
            for message in bound.errors:
                yield anchor, bound.label, message
        for message in self.non_field_errors():
            yield "request-form", "", message


HONEYPOT = "website"


class RequestForm(AccessibleFormMixin, forms.Form):
    """What both request forms ask: the contact, files, consent; and the
    honeypot, hidden from people and screen readers by the form-hp class."""

    department = forms.CharField(
        label=_("Department"),
        max_length=100,
        help_text=_("The division or section that sends the request."),
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("The office writes to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Telephone"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    attachments = AttachmentsField()
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree to it."),
        error_messages={
            "required": _("Agree to the privacy notice to send your request.")
        },
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_phone(self):
        phone = unicodedata.normalize("NFKC", self.cleaned_data["phone"]).strip()
        phone = re.sub(r"[‐‑–—−ー－]", "-", phone)
        if not PHONE.match(phone):
            raise forms.ValidationError(
                _("Enter a telephone number: digits, spaces, +, - and brackets."),
                code="invalid",
            )
        return phone

    def check_not_past(self, *names):
        today = timezone.localdate()
        for name in names:
            value = self.cleaned_data.get(name)
            if value and value < today:
                self.add_error(name, _("Enter a date from today on."))

    def check_period(self, start, end, message):
        first, last = self.cleaned_data.get(start), self.cleaned_data.get(end)
        if first and last and last < first:
            self.add_error(end, message)

    def require(self, *names):
        """Fields required for the chosen kind only (the form shows both kinds)."""
        for name in names:
            if name in self.cleaned_data and self.cleaned_data[name] in (None, ""):
                self.add_error(name, self.fields[name].error_messages["required"])

    def check_place(self, parent_name, child_name, message):
        parent = self.cleaned_data.get(parent_name)
        child = self.cleaned_data.get(child_name)
        parent_attribute = self.fields[child_name].widget.parent_attribute
        if parent and child and getattr(child, f"{parent_attribute}_id") != parent.pk:
            self.add_error(child_name, message % {"child": child, "parent": parent})

    def contact(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("department", "contact_name", "email", "phone", "attachments")
        }


class SupportRequestForm(RequestForm):
    """A Japanese local government's request for activity support or an
    overseas research. Each kind's own fields are required for that kind."""

    KIND_FIELDS = {
        RequestKind.ACTIVITY_SUPPORT: (
            "purpose",
            "stay_start",
            "stay_end",
            "destinations",
            "delegation_leader",
            "delegation_size",
        ),
        RequestKind.OVERSEAS_RESEARCH: (
            "research_subject",
            "research_questions",
            "needed_by",
        ),
    }
    KIND_REQUIRED = {
        RequestKind.ACTIVITY_SUPPORT: (
            "purpose",
            "stay_start",
            "stay_end",
            "destinations",
        ),
        RequestKind.OVERSEAS_RESEARCH: ("research_subject", "research_questions"),
    }

    kind = forms.ChoiceField(
        label=_("What you ask for"),
        choices=[(kind.value, kind.label) for kind in JAPANESE_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose activity support or overseas research.")},
    )
    prefecture = forms.ModelChoiceField(
        label=_("Prefecture"),
        queryset=JapaneseLocalGovernment.objects.filter(
            kind=JapaneseLocalGovernment.Kind.PREFECTURE
        ).order_by("code"),
        empty_label=_("Choose the prefecture"),
        error_messages={"required": _("Choose your prefecture.")},
    )
    municipality = ChildPlaceField(
        JapaneseLocalGovernment.objects.filter(prefecture__isnull=False).order_by(
            "prefecture__code", "code"
        ),
        parent_attribute="prefecture",
        label=_("Municipality"),
        required=False,
        empty_label=_("None: the prefecture itself asks"),
        help_text=_(
            "Leave empty when the prefecture itself asks. If your municipality is "
            "not in the list, leave it empty and name it with your department."
        ),
    )
    # Activity support
    purpose = forms.CharField(
        label=_("Purpose of the visit or activity"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    stay_start = DateField(label=_("Stay from"), required=False)
    stay_end = DateField(label=_("Stay until"), required=False)
    destinations = forms.CharField(
        label=_("Places to visit in China"),
        max_length=2000,
        help_text=_("Cities, organisations or companies you would like to visit."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    delegation_leader = forms.CharField(
        label=_("Delegation leader"),
        max_length=100,
        help_text=_("Name and title, e.g. the mayor."),
        required=False,
    )
    delegation_size = forms.IntegerField(
        label=_("Delegation size"),
        min_value=1,
        max_value=999,
        help_text=_("Number of people, the leader included."),
        required=False,
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Support you would like"),
        queryset=SupportService.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # Overseas research
    research_subject = forms.CharField(
        label=_("Subject of the research"), max_length=200, required=False
    )
    research_questions = forms.CharField(
        label=_("Your questions"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    needed_by = DateField(
        label=_("Answer needed by"),
        required=False,
        help_text=_("Leave empty if there is no deadline."),
    )

    field_order = [
        "kind",
        "prefecture",
        "municipality",
        "department",
        "contact_name",
        "email",
        "phone",
        *KIND_FIELDS[RequestKind.ACTIVITY_SUPPORT],
        "services",
        *KIND_FIELDS[RequestKind.OVERSEAS_RESEARCH],
        "attachments",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for names in self.KIND_REQUIRED.values():
            for name in names:
                self.fields[name].required_for_kind = True

    def clean(self):
        cleaned = super().clean()
        self.check_place(
            "prefecture",
            "municipality",
            _(
                "%(child)s is not in %(parent)s: choose a municipality of the prefecture."
            ),
        )
        kind = cleaned.get("kind")
        self.require(*self.KIND_REQUIRED.get(kind, ()))
        if kind == RequestKind.ACTIVITY_SUPPORT:
            self.check_not_past("stay_start", "stay_end")
            self.check_period(
                "stay_start",
                "stay_end",
                _("The end of the stay cannot be before its start."),
            )
        elif kind == RequestKind.OVERSEAS_RESEARCH:
            self.check_not_past("needed_by")
        return cleaned

    def submission(self) -> dict:
        """The keyword arguments of support_request_submit; the other kind's
        fields, if filled in, are left out."""
        data = self.cleaned_data
        kind = data["kind"]
        own = {name: data[name] for name in self.KIND_FIELDS[kind] if data[name]}
        is_activity = kind == RequestKind.ACTIVITY_SUPPORT
        return {
            "kind": kind,
            "government": data["municipality"] or data["prefecture"],
            "services": data["services"] if is_activity else [],
            **self.contact(),
            **own,
        }


class ExpertRequestForm(RequestForm):
    """A Chinese local government's request for a Japanese expert."""

    province = forms.ModelChoiceField(
        label=_("Provincial-level division"),
        queryset=ChineseLocalGovernment.objects.filter(
            kind__in=ChineseLocalGovernment.PROVINCIAL_KINDS
        ).order_by("code"),
        empty_label=_("Choose the provincial-level division"),
        error_messages={"required": _("Choose your provincial-level division.")},
    )
    city = ChildPlaceField(
        ChineseLocalGovernment.objects.filter(
            kind=ChineseLocalGovernment.Kind.CITY
        ).order_by("province__code", "code"),
        parent_attribute="province",
        label=_("City"),
        required=False,
        empty_label=_("None: the provincial-level government itself asks"),
        help_text=_(
            "Leave empty when the provincial-level government itself asks. If your "
            "city is not in the list, leave it empty and name it with your "
            "department."
        ),
    )
    expert_field = forms.ModelChoiceField(
        label=_("Field"),
        queryset=ExpertField.objects.all(),
        empty_label=_("Choose the field"),
        error_messages={"required": _("Choose the field of the expert.")},
    )
    expert_subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("The technique or the problem on which you need advice."),
    )
    wished_start = DateField(
        label=_("Wished from"),
        help_text=_("Approximate dates are fine; a dispatch lasts about one week."),
    )
    wished_end = DateField(label=_("Wished until"))
    purpose = forms.CharField(
        label=_("Details"),
        max_length=4000,
        help_text=_(
            "What you want to achieve, who will take part, and where the expert "
            "would work."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    field_order = [
        "province",
        "city",
        "department",
        "contact_name",
        "email",
        "phone",
        "expert_field",
        "expert_subject",
        "wished_start",
        "wished_end",
        "purpose",
        "attachments",
        "consent",
    ]

    def clean(self):
        cleaned = super().clean()
        self.check_place(
            "province",
            "city",
            _("%(child)s is not in %(parent)s: choose a city of the province."),
        )
        self.check_not_past("wished_start", "wished_end")
        self.check_period(
            "wished_start",
            "wished_end",
            _("The end of the period cannot be before its start."),
        )
        return cleaned

    def submission(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": RequestKind.EXPERT_DISPATCH,
            "chinese_government": data["city"] or data["province"],
            "services": [],
            **self.contact(),
            **{
                name: data[name]
                for name in (
                    "expert_field",
                    "expert_subject",
                    "wished_start",
                    "wished_end",
                    "purpose",
                )
            },
        }


class MessageForm(AccessibleFormMixin, forms.Form):
    """The requester's reply on the tracking page, with files."""

    body = forms.CharField(
        label=_("Your message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your message.")},
    )
    attachments = AttachmentsField()
