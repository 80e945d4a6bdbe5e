"""simple-history's admin pages, checked as the admin's own pages are."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

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

    def history_view(self, request, object_id, extra_context=None):
        self._check(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check(request, object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
