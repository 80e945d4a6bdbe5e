"""Import and export of program records in the admin (django-import-export).

`ProgramResource` is what every resource shares:

- both languages of every translated field (`theme_ja`, `theme_zh_hans`),
  never the bare field, whose value depends on the active language;
- related records by the key people use for them: a place by its official
  code, an edition by its year, a seminar by its number, anything else by ID;
  an unknown key is an error of its row, with a message;
- column keys that never change (`theme_ja`), headers in the admin user's
  language ("テーマ [ja]"); an import accepts the headers of either language
  and the keys themselves, so a file exported in one admin language imports
  in the other;
- a row updates the record with its ID, or else the record with its natural
  key (a place's code...), and otherwise adds one;
- every row is validated with the model's `full_clean()`, and one invalid row
  rolls the whole import back;
- a row that changes one language of a text marks the other "to review", as
  an edit in the admin does (translation_review).

An import of the most rows a file may hold (IMPORT_MAX_ROWS, 5,000) takes
seconds, not minutes: a row costs a savepoint and its own write. The records
a file names (by ID, natural key or as a related record) are read in one
query per column, not one a row (KeyedInstanceLoader, related_records), which
also answers what `full_clean()` would ask of each row (that a related record
exists, that a key is free); the models' constraints are checked by the
database as the row is written, with their own messages, not by a query
each beforehand; the history, the translations' states and the search index
are written for every row at once at the end, and not at all in a dry run.
The page lists the first SHOWN_ROWS rows' errors or changes and says how
many more there are (ImportResult). A file that cannot be read (not UTF-8,
not a workbook, a cell past the CSV reader's limit, no rows, no column the
resource knows) is refused with a message that says so (ImportFileError).

The formats are CSV (UTF-8 with a byte order mark, which Excel needs to read
Japanese and Chinese) and XLSX. On export a text cell that a spreadsheet would
run as a formula (=, +, -, @...) is prefixed with an apostrophe; the import
takes the apostrophe off again, so a file round-trips unchanged.
"""

import copy
import csv
import datetime
import functools
import io
import zipfile
from collections import Counter, OrderedDict

import tablib
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ImproperlyConfigured,
    ValidationError,
)
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError
from django.db.models import Q, UniqueConstraint
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import widgets
from import_export.declarative import ModelDeclarativeMetaclass
from import_export.formats import base_formats
from import_export.instance_loaders import ModelInstanceLoader
from import_export.resources import Diff, ModelResource
from import_export.results import Error, Result, RowResult
from modeltranslation import settings as mt_settings
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import get_translation_fields

from .archives import ArchiveTooLarge, zip_check_sizes, zip_open
from .csv_files import escape_formula, unescape_formula
from .models import (
    BrochureEdition,
    ChineseLocalGovernment,
    Greeting,
    JapaneseLocalGovernment,
    KeyFigure,
    OfficeContact,
    Photo,
    ProgramIntro,
    StaffMember,
)
from .searchable import search_indexing_deferred
from .translation_review import translation_changes_record_many, translation_columns
from .typography import figure

# Formats ------------------------------------------------------------------------


class FormulaEscapingMixin:
    """Replaces import-export's own escaping, which only drops a leading "="
    and turns every XLSX cell, numbers and dates included, into text."""

    def _escape_formulae(self, dataset):
        # Called by export_data() when IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT.
        for index, row in enumerate(dataset):
            dataset[index] = [escape_formula(cell) for cell in row]

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        return tablib.Dataset(
            *[[unescape_formula(cell) for cell in row] for row in dataset],
            headers=dataset.headers,
        )


class ImportFileError(ValueError):
    """A file to import refused while it is read: past the limits in
    settings, or not what its format says. Its message is for the person
    importing: what is wrong and what to do."""


class ImportTooLarge(ImportFileError):
    """A file to import past the limits in settings (IMPORT_MAX_ROWS,
    IMPORT_MAX_INFLATED_SIZE), found while reading it, before it is read
    whole."""


def rows_within_limit(rows):
    """Yield `rows` (a file's rows after its header), raising ImportTooLarge
    as soon as there is one more than IMPORT_MAX_ROWS."""
    for count, row in enumerate(rows, start=1):
        if count > settings.IMPORT_MAX_ROWS:
            raise ImportTooLarge(
                gettext(
                    "The file has more than %(max)d rows. Import at most %(max)d "
                    "rows at a time: split the file and import the parts one "
                    "after another."
                )
                % {"max": settings.IMPORT_MAX_ROWS}
            )
        yield row


def checked_dataset(headers, rows):
    """A dataset of `headers` and `rows` (a file's rows after its header, each
    as wide as the header or narrower), refusing a file without either."""
    if not any(header not in (None, "") for header in headers or ()):
        raise ImportFileError(
            gettext(
                "The file is empty. Export the list to get a file with its "
                "columns, fill it in, and import that."
            )
        )
    dataset = tablib.Dataset(headers=list(headers))
    for row in rows:
        dataset.append(list(row) + [""] * (dataset.width - len(row)))
    if not dataset.height:
        raise ImportFileError(
            gettext(
                "The file has no rows below its header row (the row that names "
                "the columns): there is nothing to import."
            )
        )
    return dataset


def import_file_error_message(error: Exception) -> str | None:
    """What to tell the person importing about `error`, raised while the
    admin read their file; None when the portal knows no better than
    import-export's own message."""
    if isinstance(error, ImportFileError):
        return str(error)
    if isinstance(error, UnicodeDecodeError):
        if error.object[:4] == ZIP_SIGNATURE:
            return gettext(
                "This file is an Excel workbook, not a CSV file: choose XLSX as "
                "its format."
            )
        return gettext(
            "The file is not in UTF-8, the encoding the portal reads CSV files "
            "in (it may be Shift_JIS, GBK or UTF-16). In Excel, save it as "
            "“CSV UTF-8 (Comma delimited)” and import that file, or import the "
            "workbook as XLSX."
        )
    return None


CSV_ENCODING = "utf-8-sig"


class BoundedCSV(base_formats.CSV):
    """import-export's CSV format, read once with Python's csv module and
    within bounds: rows counted as they are read (IMPORT_MAX_ROWS), a row
    wider than the header, a cell past the reader's limit or a stray quote
    refused with the row's number."""

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream
        if isinstance(text, bytes):
            text = text.decode(self.encoding)
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        rows = []
        try:
            headers = next((row for row in reader if row), None)
            for number, row in enumerate(
                rows_within_limit(row for row in reader if row), start=1
            ):
                if len(row) > len(headers):
                    raise ImportFileError(
                        gettext(
                            "Data row %(row)s has %(cells)s cells, more than the "
                            "%(columns)s columns the header row names. Name each "
                            "cell's column in the header row, or remove the cells "
                            "past the last column."
                        )
                        % {
                            "row": number,
                            "cells": len(row),
                            "columns": len(headers),
                        }
                    )
                rows.append(row)
        except csv.Error as error:
            raise ImportFileError(
                csv_error_message(error, row_number=len(rows) + 1)
            ) from None
        return checked_dataset(headers, rows)


def csv_error_message(error: csv.Error, *, row_number: int) -> str:
    # Python's reader stops at a cell past csv.field_size_limit() (which an
    # unclosed quote reaches by taking in the rest of the file) and, strict,
    # at a quote that is never closed or that text follows.
    if "field larger than field limit" in str(error):
        return gettext(
            "Data row %(row)s has a cell longer than %(max)s characters, the most a "
            'cell may hold. Shorten it; if it should be short, a quote (") '
            "that opens it is not closed."
        ) % {
            "row": row_number,
            "max": figure(csv.field_size_limit()),
        }
    return gettext(
        'Data row %(row)s cannot be read as CSV: a quote (") in it is not closed, '
        "or text follows a closing quote. Put a cell with quotes in quotes "
        'whole, and write each quote inside it twice ("").'
    ) % {"row": row_number}


class CSV(FormulaEscapingMixin, BoundedCSV):
    """CSV in UTF-8 with a byte order mark, as Excel reads it. (The admin
    encodes an export with its `to_encoding`, the same.)"""

    def __init__(self, encoding=CSV_ENCODING):
        super().__init__(encoding=encoding)


# Far more than any resource's fields; a sheet may declare 16,384 columns, and
# openpyxl fills every row to the declared width.
XLSX_MAX_COLUMNS = 256
# A workbook is a zip: a few parts per sheet.
XLSX_MAX_MEMBERS = 1000
ZIP_SIGNATURE = b"PK\x03\x04"


def not_a_workbook():
    return ImportFileError(
        gettext(
            "This file is not an Excel workbook (XLSX), or it is protected by a "
            "password. Choose CSV as its format if it is a CSV file; otherwise "
            "save it from Excel as “Excel Workbook (*.xlsx)” without a "
            "password, and import that."
        )
    )


class ReadOnlyXLSX(base_formats.XLSX):
    """import-export's XLSX format, read within bounds: refused when its parts
    would inflate past IMPORT_MAX_INFLATED_SIZE (zipfile then inflates no
    more), read a row at a time (openpyxl's read-only mode), at most
    XLSX_MAX_COLUMNS wide, and refused at the first row past IMPORT_MAX_ROWS
    (import-export's own reads every row)."""

    def create_dataset(self, in_stream, **kwargs):
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            with zip_open(
                io.BytesIO(in_stream), max_members=XLSX_MAX_MEMBERS
            ) as archive:
                zip_check_sizes(
                    archive, max_total_size=settings.IMPORT_MAX_INFLATED_SIZE
                )
        except ArchiveTooLarge:
            raise ImportTooLarge(
                gettext(
                    "The workbook is larger than %(max)s once unpacked. Split it "
                    "and import the parts one after another."
                )
                % {"max": filesizeformat(settings.IMPORT_MAX_INFLATED_SIZE)}
            ) from None
        except zipfile.BadZipFile:
            raise not_a_workbook() from None
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(in_stream), read_only=True, data_only=True
            )
        except (zipfile.BadZipFile, KeyError, InvalidFileException):
            # A zip without a workbook's parts (a Word document...).
            raise not_a_workbook() from None
        try:
            sheet = workbook.active
            header = next(
                sheet.iter_rows(max_row=1, max_col=XLSX_MAX_COLUMNS, values_only=True),
                (),
            )
            headers = list(header)
            while headers and headers[-1] is None:
                headers.pop()
            rows = sheet.iter_rows(
                min_row=2, max_col=max(len(headers), 1), values_only=True
            )
            skip_blank = getattr(
                settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False
            )
            dataset = checked_dataset(
                headers,
                (
                    row
                    for row in rows_within_limit(rows)
                    if not (skip_blank and all(value is None for value in row))
                ),
            )
        finally:
            workbook.close()
        return dataset


class XLSX(FormulaEscapingMixin, ReadOnlyXLSX):
    pass


# XLSX needs openpyxl (tablib[xlsx]); without it the admin offers CSV only.
FORMATS = [file_format for file_format in (CSV, XLSX) if file_format.is_available()]


# Widgets ------------------------------------------------------------------------


def natural_key_field(model):
    """The field that names a record of `model` in a file: its one unique field
    besides the primary key (a place's code, an edition's year, a seminar's
    number, a user's name), or None when it has not exactly one."""
    unique = [
        field.name
        for field in model._meta.concrete_fields
        if field.unique and not field.primary_key and not field.is_relation
    ]
    return unique[0] if len(unique) == 1 else None


def _key_verbose_name(model, key):
    if key == "pk":
        return model._meta.pk.verbose_name
    return model._meta.get_field(key).verbose_name


def _unknown_key_error(model, key, values):
    return ValueError(
        gettext("No %(model)s with %(key)s %(values)s.")
        % {
            "model": model._meta.verbose_name,
            "key": _key_verbose_name(model, key),
            "values": ", ".join(f"“{value}”" for value in values),
        }
    )


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def refuse_null_characters(value):
    """ValueError, with Django's message, for a text with a NUL, which
    PostgreSQL cannot store (nor look for: psycopg refuses the query)."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(gettext(ProhibitNullCharactersValidator.message))


def _named(model, value):
    """The record of `model` (a place) whose name in either language is
    `value`, or None when none is; ValueError when several are (府中市)."""
    if "name" not in translated_fields(model):
        return None
    names = Q()
    for lookup in get_translation_fields("name"):
        names |= Q(**{lookup: value})
    found = list(model._default_manager.filter(names)[:2])
    if len(found) > 1:
        raise ValueError(
            gettext("“%(value)s” names more than one %(model)s: write its %(key)s.")
            % {
                "value": value,
                "model": model._meta.verbose_name,
                "key": _key_verbose_name(model, natural_key_field(model) or "pk"),
            }
        )
    return found[0] if found else None


class KeyForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related record's key (`field`), or, for a
    place, as its name in either language. `known_records`, when the
    resource passes it, holds the record each cell of the column names by
    key, or None when none has it, read for the whole file in one query
    (related_records)."""

    def clean(self, value, row=None, known_records=None, **kwargs):
        value = _stripped(value)
        refuse_null_characters(value)
        if known_records is not None and value in known_records:
            record = known_records[value]
        else:
            try:
                return super().clean(value, row, **kwargs)
            except (self.model.DoesNotExist, ValueError, TypeError):
                record = None
        if record is not None:
            return record
        named = _named(self.model, value)
        if named is not None:
            return named
        raise _unknown_key_error(self.model, self.field, [value])

    @property
    def key_label(self):
        return _key_verbose_name(self.model, self.field)


class KeyManyToManyWidget(widgets.ManyToManyWidget):
    """Related records written as their keys, separated by commas; a key that
    names no record is an error, where import-export would silently drop it."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return self.model.objects.none()
        refuse_null_characters(value)
        keys = [key.strip() for key in str(value).split(self.separator)]
        keys = [key for key in keys if key]
        records = self.model.objects.filter(**{f"{self.field}__in": keys})
        found = {str(getattr(record, self.field)) for record in records}
        missing, named = [], []
        for key in keys:
            if key in found:
                continue
            record = _named(self.model, key)  # a place may be named
            if record is None:
                missing.append(key)
            else:
                named.append(record.pk)
        if missing:
            raise _unknown_key_error(self.model, self.field, missing)
        if named:
            return self.model.objects.filter(
                Q(pk__in=named) | Q(**{f"{self.field}__in": keys})
            )
        return records

    @property
    def key_label(self):
        return _key_verbose_name(self.model, self.field)


class DateWidget(widgets.DateWidget):
    """Also reads a spreadsheet's date cell, which openpyxl gives as a datetime."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        return super().clean(value, row, **kwargs)


class ContentTypeWidget(widgets.Widget):
    """The kind of record a photo belongs to, as `app_label.model`."""

    key_label = _("app.model")

    def clean(self, value, row=None, **kwargs):
        value = _stripped(value)
        if not value:
            return None
        try:
            app_label, model = value.split(".")
            return ContentType.objects.get_by_natural_key(app_label, model)
        except (ValueError, ContentType.DoesNotExist):
            raise ValueError(
                gettext("Unknown kind of record “%(value)s”.") % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return f"{value.app_label}.{value.model}" if value else ""


# Resources ----------------------------------------------------------------------


def _verbose_name(model_field):
    """A field's verbose name; for a relation left with the default one (its
    name, never translated), the related model's."""
    default = model_field.name.replace("_", " ")
    if model_field.is_relation and model_field.verbose_name == default:
        return model_field.related_model._meta.verbose_name
    return model_field.verbose_name


def translated_fields(model):
    """The names of `model`'s translated fields (without language suffix)."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


# What a cell of a column read by each widget must be, for the message when it
# is not (the first that matches: DateTimeWidget before DateWidget...).
EXPECTED_VALUES = [
    (widgets.DateTimeWidget, _("a date and time")),
    (widgets.DateWidget, _("a date (2019-07-11)")),
    (widgets.TimeWidget, _("a time")),
    (widgets.IntegerWidget, _("a whole number")),
    (widgets.DecimalWidget, _("a number")),
    (widgets.FloatWidget, _("a number")),
    (widgets.BooleanWidget, _("yes or no (1 or 0)")),
]


def expected_value(widget):
    """What a cell read by `widget` must be (“a date (2019-07-11)”), or None
    when any text will do."""
    return _expected_value(type(widget))


@functools.cache
def _expected_value(widget_class):
    return next(
        (what for kind, what in EXPECTED_VALUES if issubclass(widget_class, kind)),
        None,
    )


def cell_error(field, row):
    """The ValueError for a cell of `row` that `field`'s widget cannot read:
    what the cell is not, never a Python class ([<class
    'decimal.ConversionSyntax'>]) or import-export's English."""
    value = row.get(field.column_name)
    if isinstance(value, str):
        value = value.replace("\x00", "\N{SYMBOL FOR NULL}")  # seen, not dropped
    return ValueError(
        gettext("“%(value)s” is not %(expected)s.")
        % {"value": value, "expected": expected_value(field.widget)}
    )


# The columns a file starts with, where a model has them.
LEADING_FIELDS = ("id", "fiscal_year", "start_date", "end_date")


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
            cell = _stripped(cell)
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


class ProgramResourceMetaclass(ModelDeclarativeMetaclass):
    """Leaves out the bare translated fields: their value is the active
    language's, so exporting one would depend on the exporter's language. And
    the columns a model derives from its others (`untracked_fields`: a place's
    or a request's folded search text), which mean nothing in a file."""

    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        model = new_class._meta.model
        if model is not None:
            left_out = {
                *translated_fields(model),
                *getattr(model, "untracked_fields", ()),
            }
            fields = [
                (name, field)
                for name, field in new_class.fields.items()
                if name not in left_out
            ]
            fields.sort(
                key=lambda item: (
                    LEADING_FIELDS.index(item[0])
                    if item[0] in LEADING_FIELDS
                    else len(LEADING_FIELDS)
                )
            )
            new_class.fields = OrderedDict(fields)
        return new_class


class ProgramResource(ModelResource, metaclass=ProgramResourceMetaclass):
    """What every program resource shares (see the module's docstring)."""

    WIDGETS_MAP = {
        **ModelResource.WIDGETS_MAP,
        "DateField": DateWidget,
        "TextField": widgets.CharWidget,
    }
    #: Headers for fields whose model gives no translated verbose name.
    column_headers = {}

    class Meta:
        import_id_fields = ["id"]
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        # Rows read per query when exporting. The default, 100, read the
        # whole support queue at scale 100 (10,989 requests) in 221 queries,
        # each paged further with OFFSET: 3.2 s of the export's database time.
        chunk_size = 1000
        instance_loader_class = KeyedInstanceLoader

    @classmethod
    def get_result_class(cls):
        return ImportResult

    @classmethod
    def get_error_result_class(cls):
        return ImportErrorResult

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self._row_number = kwargs.get("row_number", 0)

    def get_diff_class(self):
        if getattr(self, "_row_number", 0) > SHOWN_ROWS:
            return UnlistedRowDiff
        return super().get_diff_class()

    # Fields ----------------------------------------------------------------------

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        if not django_field.is_relation:
            return super().field_from_django_field(field_name, django_field, readonly)
        related = django_field.related_model
        if related is ContentType:
            widget = ContentTypeWidget()
        else:
            key = natural_key_field(related) or "pk"
            widget_class = (
                KeyManyToManyWidget
                if django_field.many_to_many
                else KeyForeignKeyWidget
            )
            widget = widget_class(related, field=key)
        return cls.DEFAULT_RESOURCE_FIELD(
            attribute=field_name,
            column_name=field_name,
            widget=widget,
            readonly=readonly,
            default=django_field.default,
        )

    def get_field_name(self, field):
        # import-export searches self.fields for the field, once per cell:
        # 1.2 s of the whole queue's export went there.
        try:
            names = self._field_names
        except AttributeError:
            names = self._field_names = {id(f): name for name, f in self.fields.items()}
        try:
            return names[id(field)]
        except KeyError:
            return super().get_field_name(field)

    @classmethod
    def get_display_name(cls):
        return capfirst(cls._meta.model._meta.verbose_name_plural)

    # Headers ---------------------------------------------------------------------

    @classmethod
    def column_labels(cls):
        """Each field's header in the active language: its verbose name, with
        the key that names a related record ("host city (code)"). Where two
        headers would be the same, the column key is added to both."""
        labels = {}
        for name, field in cls.fields.items():
            try:
                model_field = cls._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                labels[name] = str(cls.column_headers.get(name, field.column_name))
                continue
            label = capfirst(cls.column_headers.get(name, _verbose_name(model_field)))
            key_label = getattr(field.widget, "key_label", None)
            if key_label is not None:
                label = gettext("%(field)s (%(key)s)") % {
                    "field": label,
                    "key": key_label,
                }
            labels[name] = str(label)
        counts = Counter(labels.values())
        return {
            name: f"{label} ({name})" if counts[label] > 1 else label
            for name, label in labels.items()
        }

    @classmethod
    def header_keys(cls):
        """Every header an import accepts, to its column key: the headers in
        every language, then the keys themselves."""
        keys = {}
        languages = [translation.get_language() or settings.LANGUAGE_CODE] + [
            code for code, _name in settings.LANGUAGES
        ]
        for language in languages:
            with translation.override(language):
                for name, label in cls.column_labels().items():
                    keys.setdefault(label, cls.fields[name].column_name)
        keys.update(
            {field.column_name: field.column_name for field in cls.fields.values()}
        )
        return keys

    def get_user_visible_fields(self):
        """The columns as the admin lists them: each header with its key."""
        labels = self.column_labels()
        shown = []
        for field in self.get_import_fields():
            label = labels[self.get_field_name(field)]
            field = copy.copy(field)
            field.column_name = f"{label} ({field.column_name})"
            shown.append(field)
        return shown

    def get_export_headers(self, selected_fields=None):
        labels = self.column_labels()
        return [
            labels[self.get_field_name(field)]
            for field in self.get_export_fields(selected_fields)
        ]

    def before_import(self, dataset, **kwargs):
        keys = self.header_keys()
        dataset.headers = [
            keys.get(_stripped(header), header) for header in dataset.headers
        ]
        if not any(
            field.column_name in dataset.headers for field in self.fields.values()
        ):
            del dataset[:]  # no row to read: each would only lack every column
            raise ImportFileError(
                gettext(
                    "None of the file's columns is a column of %(records)s: its "
                    "header row must name them as an export of this list does "
                    "(for example “%(example)s”). Export the list to get a file "
                    "with its columns."
                )
                % {
                    "records": self._meta.model._meta.verbose_name_plural,
                    "example": next(
                        label for name, label in self.labels().items() if name != "id"
                    ),
                }
            )
        self._related_records = related_records(self, dataset)
        self._related_pks = {
            column: {record.pk for record in known.values() if record is not None}
            for column, known in self._related_records.items()
        }
        super().before_import(dataset, **kwargs)

    # Export ----------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        """Related records in a constant number of queries. Given the records
        of a parent model (the admin of seminars exporting their organisers),
        exports the children of those records."""
        model = self._meta.model
        if queryset.model is not model:
            parent = next(
                field
                for field in model._meta.fields
                if field.is_relation and field.related_model is queryset.model
            )
            queryset = model._default_manager.filter(**{f"{parent.name}__in": queryset})
        relations = [
            field
            for field in model._meta.get_fields()
            if field.concrete and field.is_relation and field.name in self.fields
        ]
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related(*[f.name for f in relations if not f.many_to_many])
            .prefetch_related(*[f.name for f in relations if f.many_to_many])
        )

    # Import ----------------------------------------------------------------------

    def get_instance(self, instance_loader, row):
        """The record with the row's ID or, failing that, with its natural key
        (KeyedInstanceLoader)."""
        # import-export asks the loader only when the file has an ID column.
        self._instance_loader = instance_loader
        return instance_loader.get_instance(row)

    def do_instance_save(self, instance, is_create):
        # modeltranslation saves the active language's value in the bare
        # column as well: keep it the default language's, whoever imports.
        try:
            with translation.override(mt_settings.DEFAULT_LANGUAGE):
                if hasattr(instance, "save_without_historical_record"):
                    # Its history is written with every row's, at the end.
                    instance.save_without_historical_record(force_insert=is_create)
                else:
                    super().do_instance_save(instance, is_create)
        except IntegrityError as error:
            # The constraints validate_instance leaves to the database, said
            # in the importer's language.
            refused = constraint_error(instance, error)
            if refused is None:
                raise
            raise refused from error

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        # The texts as stored before the row (None for a new record), from
        # the record as the loader read or last saved it.
        stored = (
            None
            if instance._state.adding
            else self._instance_loader.stored.get(instance.pk)
        )
        self._translations_stored = stored and {
            column: getattr(stored, column)
            for languages in translation_columns(type(instance)).values()
            for column in languages.values()
        }

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self._instance_loader.remember(instance)
        # A dry run is rolled back: what it would record, the real run does,
        # for every row at once at its end (after_import).
        if not kwargs.get("dry_run"):
            self._saved.append((copy.copy(instance), self._translations_stored))

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A record found by its natural key keeps its own ID.
        if field.attribute == self._meta.model._meta.pk.attname and (
            not instance._state.adding
        ):
            return
        known = self._related_records.get(field.column_name)
        if known is not None:
            kwargs["known_records"] = known
        try:
            if expected_value(field.widget) is None:
                refuse_null_characters(row.get(field.column_name))
            super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
        except (ValueError, ArithmeticError) as error:
            # import-export's widgets say it in English, or as a Python class
            # ([<class 'decimal.ConversionSyntax'>]): say what the cell is not.
            if expected_value(field.widget) is None:
                raise
            raise cell_error(field, row) from error

    def after_import(self, dataset, result, **kwargs):
        """What each row's save would have written, written for all the rows
        in bulk: their history, the languages they changed (and those to
        review), the search index. Still in the import's transaction, which an
        error rolls back with them; nothing in a dry run, which is rolled back
        whatever happens."""
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run"):
            return
        user = kwargs.get("user")
        user = user if user is not None and user.is_authenticated else None
        model = self._meta.model
        if hasattr(model, "history"):
            for update in (False, True):
                model.history.bulk_history_create(
                    [
                        saved
                        for saved, before in self._saved
                        if (before is not None) == update
                    ],
                    batch_size=1000,
                    update=update,
                    default_user=user,
                    default_change_reason=None,
                )
        translation_changes_record_many(changes=self._saved, user=user)
        self._deferred_indexing.index()

    def import_instance(self, instance, row, **kwargs):
        """Also checks the many-to-many columns before anything is saved:
        import-export sets them only after the record is saved."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if (
                not isinstance(field.widget, widgets.ManyToManyWidget)
                or field.readonly
                or field.column_name not in row
            ):
                continue
            try:
                records = field.clean(row)
            except ValueError as error:
                errors[field.attribute] = [ValidationError(str(error))]
                continue
            model_field = self._meta.model._meta.get_field(field.attribute)
            if not model_field.blank and not records.exists():
                errors[field.attribute] = [
                    ValidationError(model_field.error_messages["blank"])
                ]
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        """As import-export's, with the errors under the column headers the
        user sees; the model's constraints are left to the database, which
        checks them as the row is written (do_instance_save), where
        `full_clean()` would ask it with a query (and a savepoint) each: four
        of a seminar's ten milliseconds a row."""
        errors = dict(import_validation_errors or {})
        if not self._meta.clean_model_instances:
            return super().validate_instance(instance, errors, validate_unique)
        # Nor are the queries asked whose answers were read for the whole
        # file: that a related record exists, that a key is not another's.
        read = self._foreign_keys_read(instance)
        try:
            instance.full_clean(
                exclude=[*errors, *(field.name for field in read)],
                validate_unique=validate_unique
                and not self._instance_loader.knows_unique(instance),
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in read:
            try:
                field.run_validators(getattr(instance, field.attname))
            except ValidationError as error:
                errors.setdefault(field.name, []).extend(error.error_list)
        if errors:
            raise ValidationError(
                {self.error_label(name): messages for name, messages in errors.items()}
            )

    def _foreign_keys_read(self, instance):
        """The foreign keys of `instance` that name a record read for this
        import (related_records): it exists, as full_clean() would ask."""
        read = []
        for field in self.get_import_fields():
            pks = self._related_pks.get(field.column_name)
            if pks is None:
                continue
            model_field = self._meta.model._meta.get_field(field.attribute)
            # A one-to-one key's uniqueness is still validate_unique()'s.
            if not model_field.unique and getattr(instance, model_field.attname) in pks:
                read.append(model_field)
        return read

    def labels(self):
        """column_labels() in the active language, worked out once."""
        language = translation.get_language()
        cached = getattr(self, "_labels", None)
        if cached is None or cached[0] != language:
            cached = self._labels = (language, self.column_labels())
        return cached[1]

    def error_label(self, name):
        """The header under which an error of the field `name` is shown."""
        if name == NON_FIELD_ERRORS:
            return name
        labels = self.labels()
        if name in labels:
            return labels[name]
        try:
            return str(capfirst(self._meta.model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            return name

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ):
        """As import-export's, but an invalid row rolls back the whole import
        (import-export only rolls back on errors by default).

        Side effects: the records written are indexed for the site's search
        in bulk at the end, in the import's transaction (after_import); a dry
        run indexes nothing."""
        self._related_records, self._related_pks = {}, {}
        self._saved = []  # (each record saved, as saved; its texts before)
        with search_indexing_deferred() as self._deferred_indexing:
            result = super().import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=raise_errors,
                use_transactions=use_transactions,
                collect_failed_rows=collect_failed_rows,
                rollback_on_validation_errors=rollback_on_validation_errors,
                **kwargs,
            )
        # The preview's headers; the rows' values were matched to the keys.
        labels = {
            self.fields[name].column_name: label
            for name, label in self.labels().items()
        }
        result.diff_headers = [
            labels.get(header, header) for header in result.diff_headers
        ]
        return result


class ExportOnlyResource(ProgramResource):
    """For records that are never imported (support requests). Never read
    back, a choice is written as the admin shows it in its language
    (申込受付), not as its key (received)."""

    def import_data(self, *args, **kwargs):
        raise ImproperlyConfigured(
            f"{type(self).__name__} is for export only: "
            f"{self._meta.model._meta.verbose_name_plural} are not imported."
        )

    def export_field(self, field, instance, **kwargs):
        shown = getattr(instance, f"get_{field.attribute}_display", None)
        if field.attribute and shown is not None:
            return str(shown())
        return super().export_field(field, instance, **kwargs)


# Places, photos and the office ------------------------------------------------


class JapaneseLocalGovernmentResource(ProgramResource):
    class Meta:
        model = JapaneseLocalGovernment


class ChineseLocalGovernmentResource(ProgramResource):
    class Meta:
        model = ChineseLocalGovernment


class PhotoResource(ProgramResource):
    """Caption and what the photo belongs to; the image file stays out of the
    file (an import leaves a photo's image as it is)."""

    column_headers = {
        "content_type": _("kind of record"),
        "object_id": _("record ID"),
    }

    class Meta:
        model = Photo
        exclude = ["image"]


class BrochureEditionResource(ProgramResource):
    class Meta:
        model = BrochureEdition


class KeyFigureResource(ProgramResource):
    class Meta:
        model = KeyFigure


class StaffMemberResource(ProgramResource):
    class Meta:
        model = StaffMember


class GreetingResource(ProgramResource):
    class Meta:
        model = Greeting


class OfficeContactResource(ProgramResource):
    class Meta:
        model = OfficeContact


class ProgramIntroResource(ProgramResource):
    class Meta:
        model = ProgramIntro
