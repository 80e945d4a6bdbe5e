"""The rows of an import: the records a file names, read in one query per
column rather than one a row (KeyedInstanceLoader, related_records); the
models' constraints as the database refuses them, said as full_clean() would
(constraint_error); and the result's page, bounded to its first SHOWN_ROWS
rows (ImportResult)."""

import copy

from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from import_export.instance_loaders import ModelInstanceLoader
from import_export.resources import Diff
from import_export.results import Error, Result, RowResult

from .import_columns import (
    KeyForeignKeyWidget,
    cell_error,
    natural_key_field,
    refuse_null_characters,
    stripped,
)
from .import_formats import ImportFileError

# Reading the records a file names -----------------------------------------------


class KeyedInstanceLoader(ModelInstanceLoader):
    """The records a file's rows update: the one with the row's ID or, failing
    that, with its natural key (a place's code, a seminar's number). Read in
    one query for each of the two for the whole file, where import-export
    reads one or two a row. Each row gets a copy (a row that fails leaves the
    next one the record as stored), and a record a row saves is the one the
    later rows find (`remember`), as it would be read again.

    A key that is not a valid value (a seminar number with a NUL) is the
    row's error, said as a cell's."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        model = resource._meta.model
        names = [*resource.get_import_id_fields(), natural_key_field(model)]
        headers = dataset.headers or ()
        self.keys = [
            resource.fields[name]
            for name in dict.fromkeys(names)
            if name in resource.fields and resource.fields[name].column_name in headers
        ]
        #: Each record read or saved, as stored, by primary key.
        self.stored = {}
        #: By key: the record with each value, and every value looked up.
        self.records = {}
        self.looked_up = {}
        self.unique_fields = [
            field.attname for field in model._meta.concrete_fields if field.unique
        ]
        for field in self.keys:
            values = set()
            for cell in dataset[field.column_name]:
                try:
                    refuse_null_characters(cell)
                    value = field.clean({field.column_name: cell})
                except (ValueError, ArithmeticError, TypeError):
                    continue  # the row says so
                if value not in (None, ""):
                    values.add(value)
            found = self.get_queryset().filter(**{f"{field.attribute}__in": values})
            self.looked_up[field.attribute] = values
            self.records[field.attribute] = {}
            for record in found:
                record = self.stored.setdefault(record.pk, record)
                self.records[field.attribute][getattr(record, field.attribute)] = record

    def get_instance(self, row):
        for field in self.keys:
            try:
                value = field.clean(row)
            except (ValueError, ArithmeticError, TypeError) as error:
                raise ValidationError(
                    {
                        self.resource.error_label(field.attribute): str(
                            cell_error(field, row)
                        )
                    }
                ) from error
            if value in (None, "") or (isinstance(value, str) and "\x00" in value):
                continue
            record = self.records[field.attribute].get(value)
            if record is not None:
                return copy.copy(record)
        return None

    def remember(self, instance):
        """`instance`, just saved, is what later rows with its keys update
        (and no longer what its old keys name)."""
        saved = copy.copy(instance)
        previous = self.stored.get(instance.pk)
        self.stored[instance.pk] = saved
        for field in self.keys:
            records = self.records[field.attribute]
            if previous is not None:
                old = getattr(previous, field.attribute)
                if records.get(old) is previous:
                    del records[old]
            records[getattr(saved, field.attribute)] = saved
            self.looked_up[field.attribute].add(getattr(saved, field.attribute))

    def knows_unique(self, instance):
        """Whether every unique field of `instance` (its ID, its natural key)
        holds a value this loader looked up, which no other record has: then
        Model.validate_unique() would ask the database what is known (a query
        a row). False for any other value, or a model with other unique
        fields, for which it asks."""
        if instance._meta.unique_together:
            return False
        for attname in self.unique_fields:
            value = getattr(instance, attname)
            if value is None or (
                attname == instance._meta.pk.attname and not instance._state.adding
            ):
                continue  # as validate_unique() skips them
            if value not in self.looked_up.get(attname, ()):
                return False
            owner = self.records[attname].get(value)
            if owner is not None and owner.pk != instance.pk:
                return False
        return True


def related_records(resource, dataset):
    """{column: {cell: record or None}} for each column of `dataset` that
    names related records by their key (KeyForeignKeyWidget): the record each
    cell names, None when no record has that key (the widget then looks for
    a place by name), read in one query per column rather than one a row. A
    cell that is not a valid key is left to the widget."""
    known = {}
    for field in resource.get_import_fields():
        widget = field.widget
        if (
            not isinstance(widget, KeyForeignKeyWidget)
            or field.column_name not in dataset.headers
        ):
            continue
        opts = widget.model._meta
        key_field = opts.pk if widget.field == "pk" else opts.get_field(widget.field)
        keys = {}
        for cell in dataset[field.column_name]:
            cell = stripped(cell)
            if cell in (None, "") or cell in keys:
                continue
            try:
                refuse_null_characters(cell)
                keys[cell] = key_field.to_python(cell)
            except (ValueError, TypeError, ValidationError):
                continue
        records = widget.get_queryset(None, None).filter(
            **{f"{key_field.name}__in": set(keys.values())}
        )
        by_key = {getattr(record, key_field.attname): record for record in records}
        # A place's prefecture may be a row of the same file, written after
        # this was read: the widget looks for what was not found.
        own_model = widget.model is resource._meta.model
        known[field.column_name] = {
            cell: by_key.get(key)
            for cell, key in keys.items()
            if key in by_key or not own_model
        }
    return known


def constraint_error(instance, error):
    """The ValidationError `full_clean()` would have raised for the constraint
    of `instance`'s model that the database refused with `error` (an
    IntegrityError), or None when it names none of them."""
    diagnostic = getattr(error.__cause__, "diag", None)  # psycopg's
    name = getattr(diagnostic, "constraint_name", None)
    model = type(instance)
    for constraint in model._meta.constraints:
        if constraint.name != name:
            continue
        # As UniqueConstraint.validate() words it.
        if (
            isinstance(constraint, UniqueConstraint)
            and constraint.fields
            and constraint.violation_error_message
            == constraint.default_violation_error_message
        ):
            return instance.unique_error_message(model, constraint.fields)
        return ValidationError(
            constraint.get_violation_error_message(),
            code=constraint.violation_error_code,
        )
    return None


# The result's page ------------------------------------------------------------------

#: Rows whose errors, or whose changes, an import's page lists: 5,000 rows
#: that were all errors made a page of 10 MB.
SHOWN_ROWS = 100


class ImportResult(Result):
    """import-export's result of an import, its page bounded: every row counts
    in the totals (and a confirmed import logs each), but the page lists the
    rows with errors, or else the changes, of the first SHOWN_ROWS rows only
    (`invalid_rows`, `row_errors()` and `valid_rows()`, which only the page
    reads), and `not_shown()` says how many more there are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rows_with_errors = 0

    def append_invalid_row(self, number, row, validation_error):
        if len(self.invalid_rows) < SHOWN_ROWS:
            super().append_invalid_row(number, row, validation_error)

    def append_error_row(self, number, row, errors):
        if len(self.error_rows) < SHOWN_ROWS:
            super().append_error_row(number, row, errors)

    def append_row_result(self, row_result):
        # What the page does not list is not kept: a row keeps its type and
        # record (for the totals and the admin's log), not, past the first
        # rows, its changes or its errors (whose tracebacks hold the row's
        # frames: 9 KB a row). A listed row's InvalidRow keeps its own.
        row_result.validation_error = None
        if len(self.rows) >= SHOWN_ROWS:
            row_result.diff = row_result.original = None
        if row_result.errors:
            if self._rows_with_errors < SHOWN_ROWS:
                self._rows_with_errors += 1
            else:
                row_result.errors = []
        super().append_row_result(row_result)

    def valid_rows(self):
        return super().valid_rows()[:SHOWN_ROWS]

    def row_errors(self):
        return super().row_errors()[:SHOWN_ROWS]

    def not_shown(self):
        """How many rows of those the page lists (with errors, or else all)
        it leaves out."""
        if self.has_errors():
            listed, total = (
                len(self.row_errors()),
                self.totals[RowResult.IMPORT_TYPE_ERROR],
            )
        elif self.has_validation_errors():
            listed = len(self.invalid_rows)
            total = self.totals[RowResult.IMPORT_TYPE_INVALID]
        else:
            listed = len(self.valid_rows())
            total = sum(self.totals[kind] for kind in RowResult.valid_import_types)
        return max(total - listed, 0)


class UnlistedRowDiff(Diff):
    """The changes of a row the page does not list (past SHOWN_ROWS): not
    worked out (two exports of the record and a text diff of each column, a
    fifth of a row's time)."""

    def __init__(self, resource, instance, new):
        self.left = self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return None


class ImportErrorResult(Error):
    """import-export's error of an import. One the portal raised for the
    person importing (ImportFileError: a file without a column the resource
    knows) is shown as its message alone, without Python's traceback."""

    @property
    def traceback(self):
        if isinstance(self.error, ImportFileError):
            return ""
        return super().traceback
