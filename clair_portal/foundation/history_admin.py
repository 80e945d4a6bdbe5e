"""simple-history's admin pages, checked as the admin's own pages are."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

BIGINT_MAX = 2**63 - 1


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


class LanguageMarkedChanges(HistoricalRecordContextHelper):
    """Each change of a translated field carries its language (the history
    list shows the old and the new text of theme_ja on the Chinese admin's
    page too: a browser, a screen reader must know it is Japanese)."""

    def context_for_delta_changes(self, delta):
        changes = super().context_for_delta_changes(delta)
        for change, delta_change in zip(changes, delta.changes, strict=True):
            try:
                field = self.model._meta.get_field(delta_change.field)
            except FieldDoesNotExist:
                continue
            change["lang"] = getattr(field, "language", None)  # modeltranslation's
        return changes


class CheckedHistoryAdmin(SimpleHistoryAdmin):
    """A record's history and its past versions: the permission is asked for
    before anything is looked up (so that a user without it learns nothing),
    and an id that cannot be one is a 404."""

    def _check(self, request, object_id, version_id=None):
        if not self.has_view_history_or_change_history_permission(request):
            raise PermissionDenied
        _checked_key(self.model._meta.pk, unquote(object_id))
        if version_id is not None:
            manager = self.model._meta.simple_history_manager_attribute
            history_model = getattr(self.model, manager).model
            _checked_key(history_model._meta.pk, str(version_id))

    def get_historical_record_context_helper(self, request, historical_record):
        return LanguageMarkedChanges(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        self._check(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check(request, object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
