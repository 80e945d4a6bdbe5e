"""simple-history's admin pages, checked as the admin's own pages are."""

import dataclasses
import datetime

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.template.defaultfilters import yesno
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from .translation_review import confirmed_field

BIGINT_MAX = 2**63 - 1

# Change reasons the code writes, as a person reads them. Other reasons (a
# translation confirmed) are written in words already and shown as they are.
CHANGE_REASONS = {
    "correction": gettext_lazy("Corrected by the desk"),
    "load_brochures": gettext_lazy("Loaded from the brochures"),
}


def _checked_key(field: models.Field, value: str):
    """A primary key as the database takes it, or 404 ("abc", "²" and numbers
    past bigint were a database error, a 500, before)."""
    try:
        key = field.to_python(value)
    except ValidationError as error:
        raise Http404 from error
    if isinstance(key, int) and not 0 < key <= BIGINT_MAX:
        raise Http404
    return key


def change_reason_label(reason: str | None, model=None) -> str:
    """A change reason in the reader's language: the codes the portal writes
    translated (a confirmed translation names its field and language), other
    reasons as written."""
    confirmed = confirmed_field(reason)
    if confirmed is not None and model is not None:
        field_name, language = confirmed
        try:
            field = capfirst(model._meta.get_field(field_name).verbose_name)
        except FieldDoesNotExist:
            field = field_name
        return gettext("Translation confirmed: %(field)s (%(language)s)") % {
            "field": field,
            "language": str(dict(settings.LANGUAGES).get(language, language)),
        }
    return str(CHANGE_REASONS.get(reason, reason or ""))


def user_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def readable_value(field: models.Field, value) -> str:
    """A field's value as the history list shows it: a choice by its label,
    a time in the office's zone and the reader's format, a user by name, a
    record that is gone or no value in words (simple-history shows the
    stored code, `2026-12-05 01:07:55.372573+00:00`, `None` and
    `Deleted user (pk=None)`)."""
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return gettext("(empty)")
        return gettext("(deleted %(type_name)s)") % {
            "type_name": value.model._meta.verbose_name
        }
    if value is None or value == "":
        return gettext("(empty)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return yesno(value)
    if isinstance(value, datetime.datetime):
        return formats.localize(timezone.localtime(value))
    if isinstance(value, datetime.date):
        return formats.localize(value)
    if isinstance(value, AbstractBaseUser):
        return user_name(value)
    return value


class ReadableChanges(HistoricalRecordContextHelper):
    """Each change as a person reads it (`readable_value`), without the
    request's own bookkeeping of who acted last and when, which the row
    already says; each change of a translated field carries its language
    (the history list shows the old and the new text of theme_ja on the
    Chinese admin's page too: a browser, a screen reader must know it is
    Japanese)."""

    def __init__(
        self, model, historical_record, *, hidden_fields=(), value_label=None, **kwargs
    ):
        super().__init__(model, historical_record, **kwargs)
        self.hidden_fields = set(hidden_fields)
        self.value_label = value_label

    def context_for_delta_changes(self, delta):
        delta = dataclasses.replace(
            delta,
            changes=[
                change
                for change in delta.changes
                if change.field not in self.hidden_fields
            ],
        )
        changes = super().context_for_delta_changes(delta)
        for change, delta_change in zip(changes, delta.changes, strict=True):
            try:
                field = self.model._meta.get_field(delta_change.field)
            except FieldDoesNotExist:
                continue
            change["lang"] = getattr(field, "language", None)  # modeltranslation's
        return changes

    def prepare_delta_change_value(self, change, value):
        if self.value_label is not None:
            label = self.value_label(self.record, change.field, value)
            if label is not None:
                return label
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(value, list):
            return [readable_value(field, item) for item in value]
        return readable_value(field, value)


class CheckedHistoryAdmin(SimpleHistoryAdmin):
    """A record's history and its past versions: the permission is asked for
    before anything is looked up (so that a user without it learns nothing),
    and an id that cannot be one is a 404. `history_hidden_fields`: columns
    whose changes the list leaves out (bookkeeping the row shows anyway);
    `history_value_label`: words for a value that depend on the record."""

    history_hidden_fields: tuple[str, ...] = ()
    # Who made a change recorded with no user, where the model knows (else
    # the list says "None").
    history_without_user = None

    def history_value_label(self, record, field_name: str, value) -> str | None:
        """How the history list names `value` of `field_name` in `record` (a
        historical record), where the field alone does not say; None for
        readable_value's words."""
        return None

    def _check(self, request, object_id, version_id=None):
        if not self.has_view_history_or_change_history_permission(request):
            raise PermissionDenied
        _checked_key(self.model._meta.pk, unquote(object_id))
        if version_id is not None:
            manager = self.model._meta.simple_history_manager_attribute
            history_model = getattr(self.model, manager).model
            _checked_key(history_model._meta.pk, str(version_id))

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(
            self.model,
            historical_record,
            hidden_fields=self.history_hidden_fields,
            value_label=self.history_value_label,
        )

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        super().set_history_delta_changes(request, historical_records, **kwargs)
        for record in historical_records:
            record.change_reason_label = change_reason_label(
                record.history_change_reason, self.model
            )
            user = record.history_user
            record.history_user_name = (
                user_name(user) if user else str(self.history_without_user or "")
            )

    def history_view(self, request, object_id, extra_context=None):
        self._check(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check(request, object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
