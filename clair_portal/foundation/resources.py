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

The formats are CSV (UTF-8 with a byte order mark, which Excel needs to read
Japanese and Chinese) and XLSX. On export a text cell that a spreadsheet would
run as a formula (=, +, -, @...) is prefixed with an apostrophe; the import
takes the apostrophe off again, so a file round-trips unchanged.
"""

import copy
import csv
import datetime
import io
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
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import widgets
from import_export.declarative import ModelDeclarativeMetaclass
from import_export.formats import base_formats
from import_export.resources import ModelResource
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
from .translation_review import translation_changes_record, translation_values_stored

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


class ImportTooLarge(ValueError):
    """A file to import past the limits in settings (IMPORT_MAX_ROWS,
    IMPORT_MAX_INFLATED_SIZE), found while reading it, before it is read
    whole. Its message is for the person importing."""


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


CSV_ENCODING = "utf-8-sig"


class CSV(FormulaEscapingMixin, base_formats.CSV):
    """CSV in UTF-8 with a byte order mark, as Excel reads it. (The admin
    encodes an export with its `to_encoding`, the same.) Its rows are counted
    before tablib reads them into a dataset."""

    def __init__(self, encoding=CSV_ENCODING):
        super().__init__(encoding=encoding)

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream
        if isinstance(text, bytes):
            text = text.decode(self.encoding)
        rows = csv.reader(io.StringIO(text))
        next(rows, None)  # the header
        for _row in rows_within_limit(rows):
            pass
        return super().create_dataset(in_stream, **kwargs)


# Far more than any resource's fields; a sheet may declare 16,384 columns, and
# openpyxl fills every row to the declared width.
XLSX_MAX_COLUMNS = 256
# A workbook is a zip: a few parts per sheet.
XLSX_MAX_MEMBERS = 1000


class ReadOnlyXLSX(base_formats.XLSX):
    """import-export's XLSX format, read within bounds: refused when its parts
    would inflate past IMPORT_MAX_INFLATED_SIZE (zipfile then inflates no
    more), read a row at a time (openpyxl's read-only mode), at most
    XLSX_MAX_COLUMNS wide, and refused at the first row past IMPORT_MAX_ROWS
    (import-export's own reads every row)."""

    def create_dataset(self, in_stream, **kwargs):
        import openpyxl

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
        workbook = openpyxl.load_workbook(
            io.BytesIO(in_stream), read_only=True, data_only=True
        )
        try:
            sheet = workbook.active
            header = next(
                sheet.iter_rows(max_row=1, max_col=XLSX_MAX_COLUMNS, values_only=True),
                (),
            )
            headers = list(header)
            while headers and headers[-1] is None:
                headers.pop()
            dataset = tablib.Dataset(headers=headers)
            rows = sheet.iter_rows(
                min_row=2, max_col=max(len(headers), 1), values_only=True
            )
            skip_blank = getattr(
                settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False
            )
            for row in rows_within_limit(rows):
                if not (skip_blank and all(value is None for value in row)):
                    dataset.append(row)
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
    place, as its name in either language."""

    def clean(self, value, row=None, **kwargs):
        value = _stripped(value)
        try:
            return super().clean(value, row, **kwargs)
        except (self.model.DoesNotExist, ValueError, TypeError):
            named = _named(self.model, value)
            if named is not None:
                return named
            raise _unknown_key_error(self.model, self.field, [value]) from None

    @property
    def key_label(self):
        return _key_verbose_name(self.model, self.field)


class KeyManyToManyWidget(widgets.ManyToManyWidget):
    """Related records written as their keys, separated by commas; a key that
    names no record is an error, where import-export would silently drop it."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return self.model.objects.none()
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

# The columns a file starts with, where a model has them.
LEADING_FIELDS = ("id", "fiscal_year", "start_date", "end_date")


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
        """The record with the row's ID or, failing that, with its natural key."""
        instance = super().get_instance(instance_loader, row)
        key = natural_key_field(self._meta.model)
        if instance is not None or key is None or key not in self.fields:
            return instance
        field = self.fields[key]
        if field.column_name not in row:
            return None
        value = field.clean(row)
        if value in (None, ""):
            return None
        return self.get_queryset().filter(**{field.attribute: value}).first()

    def do_instance_save(self, instance, is_create):
        # modeltranslation saves the active language's value in the bare
        # column as well: keep it the default language's, whoever imports.
        with translation.override(mt_settings.DEFAULT_LANGUAGE):
            super().do_instance_save(instance, is_create)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        # The texts as stored before the row (none for a new record).
        self._translations_stored = (
            None
            if kwargs.get("dry_run")
            else translation_values_stored(type(instance), [instance.pk]).get(
                instance.pk
            )
        )

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        # A dry run is rolled back: what it would mark, the real run marks.
        if not kwargs.get("dry_run"):
            translation_changes_record(
                instance=instance,
                before=self._translations_stored,
                user=kwargs.get("user"),
            )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A record found by its natural key keeps its own ID.
        if field.attribute == self._meta.model._meta.pk.attname and (
            not instance._state.adding
        ):
            return
        try:
            super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
        except (ValueError, ArithmeticError) as error:
            # import-export's widgets say it in English, or as a Python class
            # ([<class 'decimal.ConversionSyntax'>]): say what the cell is not.
            expected = next(
                (
                    what
                    for widget_class, what in EXPECTED_VALUES
                    if isinstance(field.widget, widget_class)
                ),
                None,
            )
            if expected is None:
                raise
            raise ValueError(
                gettext("“%(value)s” is not %(expected)s.")
                % {"value": row.get(field.column_name), "expected": expected}
            ) from error

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
        """Errors under the column headers the user sees."""
        try:
            super().validate_instance(
                instance, import_validation_errors, validate_unique=validate_unique
            )
        except ValidationError as error:
            raise ValidationError(
                {
                    self._error_label(name): messages
                    for name, messages in error.error_dict.items()
                }
            ) from error

    def _error_label(self, name):
        if name == NON_FIELD_ERRORS:
            return name
        labels = self.column_labels()
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
        (import-export only rolls back on errors by default)."""
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
            for name, label in self.column_labels().items()
        }
        result.diff_headers = [
            labels.get(header, header) for header in result.diff_headers
        ]
        return result


class ExportOnlyResource(ProgramResource):
    """For records that are never imported (support requests)."""

    def import_data(self, *args, **kwargs):
        raise ImproperlyConfigured(
            f"{type(self).__name__} is for export only: "
            f"{self._meta.model._meta.verbose_name_plural} are not imported."
        )


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
