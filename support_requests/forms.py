"""The public request forms (activity support or overseas research, expert
dispatch) and the requester's reply form on the tracking page.

The forms only validate and say what to save (`submission()`); the services
save it. Every message is in the page's language, beside its field."""

import re
import unicodedata

from django import forms
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.file_checks import (
    ACCEPT,
    MAX_ATTACHMENT_SIZE,
    MAX_ATTACHMENTS,
    validate_attachments,
)
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
)
from clair_portal.foundation.place_search import clean_query
from clair_portal.foundation.places import place_exactly_named, places_matching
from clair_portal.foundation.plain_text import LineField, TextField
from experts.models import ExpertField

from .models import JAPANESE_KINDS, RequestKind, SupportService

FIELD_TEMPLATE = "support_requests/_field.html"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
# Digits, spaces, + - ( ) and an optional extension, after full-width digits
# and signs have been made half-width.
PHONE = re.compile(r"^\+?[0-9()\- ]{6,24}(?:(?:ext\.?|x|内線|转|分机) ?[0-9]{1,6})?$")


def cleaned_phone(value: str) -> str:
    """A telephone number as the office files it (full-width digits and
    dashes made plain), or ValidationError: for the public forms and for the
    desk's corrections alike."""
    phone = unicodedata.normalize("NFKC", value).strip()
    phone = re.sub(r"[‐‑–—−ー－]", "-", phone)
    if not PHONE.match(phone):
        raise forms.ValidationError(
            _(
                "Enter a telephone number of 6 to 24 digits, spaces, +, - or brackets (an extension may follow)."
            ),
            code="invalid",
        )
    return phone


#: Periods whose end cannot come before their start, with what is said.
PERIODS = {
    ("stay_start", "stay_end"): _("The end of the stay cannot be before its start."),
    ("wished_start", "wished_end"): _(
        "The end of the period cannot be before its start."
    ),
}


def check_period(form, start, end):
    """Adds PERIODS' error to `end` when it comes before `start`."""
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and last < first:
        form.add_error(end, PERIODS[start, end])


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

    def to_python(self, value):
        # A Japanese input method left in full-width mode types ２０２７/０３/０１.
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value)
        return super().to_python(value)


class EmailField(forms.EmailField):
    """An address typed in full-width (ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ) is read
    as the half-width one it stands for, as the telephone number is."""

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value)
        return super().to_python(value)


class PlaceInput(forms.Widget):
    """A text input for part of a place's name, and, when what was typed
    names several places, radio buttons to choose among them: a form that
    works without JavaScript. place_search.js adds suggestions as one types,
    from the JSON address `suggestions` names, and puts the chosen place's
    code in the hidden input, as a radio button does."""

    template_name = "support_requests/widgets/place.html"

    def __init__(self, suggestions, attrs=None):
        self.suggestions = suggestions
        self.candidates = []
        self.chosen = None
        super().__init__({"autocomplete": "off", **(attrs or {})})

    @staticmethod
    def pick_name(name):
        return f"{name}_pick"

    def value_from_datadict(self, data, files, name):
        picks = data.getlist(self.pick_name(name)) if hasattr(data, "getlist") else []
        chosen = [pick for pick in picks if pick]
        return {"text": data.get(name, ""), "pick": chosen[-1] if chosen else ""}

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value):
        if self.chosen is not None:
            return self.chosen.full_name()
        if isinstance(value, dict):
            return value.get("text") or None
        return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            pick_name=self.pick_name(name),
            pick=self.chosen.code if self.chosen is not None else "",
            candidates=self.candidates,
            suggestions=reverse(self.suggestions),
        )
        return context


class PlaceField(forms.Field):
    """A local government, found by part of its name typed in either
    language or script (places.places_matching): the one place named so, or
    the only one that matches, or the candidate chosen; otherwise the
    candidates are shown to choose from, with a message."""

    default_error_messages = {
        "required": _("Type the name of your local government."),
        "none": _(
            "No local government is named “%(text)s”. Type part of its name, "
            "in Japanese or Chinese."
        ),
        "several": _(
            "Several local governments match “%(text)s”: choose yours below, "
            "or type more of its name."
        ),
    }

    def __init__(self, queryset, *, suggestions, **kwargs):
        self.queryset = queryset
        kwargs.setdefault("widget", PlaceInput(suggestions))
        super().__init__(**kwargs)

    def clean(self, value):
        value = value if isinstance(value, dict) else {}
        text = str(value.get("text") or "")
        if not clean_query(text):
            raise forms.ValidationError(
                self.error_messages["required"], code="required"
            )
        place = self.resolve(text, str(value.get("pick") or ""))
        self.widget.chosen = place
        return place

    def resolve(self, text, pick):
        parent = self.queryset.model.parent_field
        # A code chosen among the candidates or the suggestions, if it is
        # still one of the places the text names.
        if re.fullmatch(r"\d{2,6}", pick):
            chosen = self.queryset.select_related(parent).filter(code=pick).first()
            if chosen is not None and clean_query(text) in chosen.search:
                return chosen
        named = place_exactly_named(self.queryset, text)
        if len(named) == 1:
            return named[0]
        matches = places_matching(self.queryset, text)
        if len(matches) == 1:
            return matches[0]
        params = {"text": text.strip()[:50]}
        if not matches:
            raise forms.ValidationError(
                self.error_messages["none"], code="none", params=params
            )
        self.widget.candidates = matches
        raise forms.ValidationError(
            self.error_messages["several"], code="several", params=params
        )


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

    department = LineField(
        label=_("Department"),
        max_length=100,
        help_text=_("The division or section that sends the request."),
    )
    contact_name = LineField(
        label=_("Contact person"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("The office writes to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = LineField(
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
        return cleaned_phone(self.cleaned_data["phone"])

    def check_not_past(self, *names):
        today = timezone.localdate()
        for name in names:
            value = self.cleaned_data.get(name)
            if value and value < today:
                self.add_error(name, _("Enter a date from today on."))

    def check_period(self, start, end):
        check_period(self, start, end)

    def require(self, *names):
        """Fields required for the chosen kind only (the form shows both kinds)."""
        for name in names:
            if name in self.cleaned_data and self.cleaned_data[name] in (None, ""):
                self.add_error(name, self.fields[name].error_messages["required"])

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
    government = PlaceField(
        JapaneseLocalGovernment.objects.all(),
        suggestions="places-japan",
        label=_("Local government"),
        help_text=_(
            "Type part of its name, in Japanese or Chinese (高山, 鹿儿岛), and "
            "choose it. When the prefecture itself asks, choose the prefecture."
        ),
    )
    # Activity support
    purpose = TextField(
        label=_("Purpose of the visit or activity"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    stay_start = DateField(label=_("Stay from"), required=False)
    stay_end = DateField(label=_("Stay until"), required=False)
    destinations = TextField(
        label=_("Places to visit in China"),
        max_length=2000,
        help_text=_("Cities, organisations or companies you would like to visit."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    delegation_leader = LineField(
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
    research_subject = LineField(
        label=_("Subject of the research"), max_length=200, required=False
    )
    research_questions = TextField(
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
        "government",
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
        kind = cleaned.get("kind")
        self.require(*self.KIND_REQUIRED.get(kind, ()))
        if kind == RequestKind.ACTIVITY_SUPPORT:
            self.check_not_past("stay_start", "stay_end")
            self.check_period("stay_start", "stay_end")
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
            "government": data["government"],
            "services": data["services"] if is_activity else [],
            **self.contact(),
            **own,
        }


class ExpertRequestForm(RequestForm):
    """A Chinese local government's request for a Japanese expert."""

    government = PlaceField(
        ChineseLocalGovernment.objects.all(),
        suggestions="places-china",
        label=_("Local government"),
        help_text=_(
            "Type part of its name, in Chinese or Japanese (沈阳, 瀋陽), and "
            "choose it: provincial-level and prefecture-level governments are "
            "listed. A county-level government chooses its city and names itself "
            "with its department."
        ),
    )
    expert_field = forms.ModelChoiceField(
        label=_("Field"),
        queryset=ExpertField.objects.all(),
        empty_label=_("Choose the field"),
        error_messages={"required": _("Choose the field of the expert.")},
    )
    expert_subject = LineField(
        label=_("Subject"),
        max_length=200,
        help_text=_("The technique or the problem on which you need advice."),
    )
    wished_start = DateField(
        label=_("Wished from"),
        help_text=_("Approximate dates are fine; a dispatch lasts about one week."),
    )
    wished_end = DateField(label=_("Wished until"))
    purpose = TextField(
        label=_("Details"),
        max_length=4000,
        help_text=_(
            "What you want to achieve, who will take part, and where the expert "
            "would work."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    field_order = [
        "government",
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
        self.check_not_past("wished_start", "wished_end")
        self.check_period("wished_start", "wished_end")
        return cleaned

    def submission(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": RequestKind.EXPERT_DISPATCH,
            "chinese_government": data["government"],
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

    body = TextField(
        label=_("Your message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your message.")},
    )
    attachments = AttachmentsField()
