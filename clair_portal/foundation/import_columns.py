"""The columns of an imported file (django-import-export's widgets): related
records named by the key people use for them (a place's official code, an
edition's year, a seminar's number), and the message of a cell a column
cannot read, in the admin user's language."""

import datetime
import functools
import re
import unicodedata

from django.contrib.contenttypes.models import ContentType
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import widgets
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import get_translation_fields

from .plain_text import clean_line, clean_text

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


def stripped(value):
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
        value = stripped(value)
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


class LineWidget(widgets.CharWidget):
    """A one-line cell, cleaned as the admin's forms clean what is pasted
    (plain_text.clean_line): an import is how most of Word's and Excel's
    text arrives, and kept its line breaks, BEL and bidi overrides."""

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        return clean_line(value) if isinstance(value, str) else value


class TextWidget(widgets.CharWidget):
    """A cell of several lines: its line breaks kept, what shows nothing gone."""

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        return clean_text(value).strip() if isinstance(value, str) else value


_WHOLE_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d{1,18})")


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number, as the admin's form takes it: "10.7" and "1e2" are
    refused (import-export read them as 10 and 100), "１０" and "1,000" read."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, float):  # an XLSX cell
            if not value.is_integer():
                raise ValueError(value)
            return int(value)
        if isinstance(value, str):
            text = unicodedata.normalize("NFKC", value).strip()
            if not _WHOLE_NUMBER.fullmatch(text):
                raise ValueError(value)
            return int(text.replace(",", ""))
        return super().clean(value, row, **kwargs)


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
        value = stripped(value)
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


def translated_fields(model):
    """The names of `model`'s translated fields (without language suffix)."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()
