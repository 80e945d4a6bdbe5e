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
a file names are read in one query per column, not one a row, and the
models' constraints are checked by the database as the row is written
(import_rows.py); the history, the translations' states and the search index
are written for every row at once at the end, and not at all in a dry run.

The files' formats, CSV and XLSX, read within bounds: import_formats.py. The
columns' widgets (related records by key, a cell's message): import_columns.py.
"""

import copy
from collections import Counter, OrderedDict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ImproperlyConfigured,
    ValidationError,
)
from django.db import IntegrityError
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import widgets
from import_export.declarative import ModelDeclarativeMetaclass
from import_export.resources import ModelResource
from modeltranslation import settings as mt_settings

from .import_columns import (
    ContentTypeWidget,
    DateWidget,
    KeyForeignKeyWidget,
    KeyManyToManyWidget,
    LineWidget,
    TextWidget,
    WholeNumberWidget,
    cell_error,
    expected_value,
    natural_key_field,
    refuse_null_characters,
    stripped,
    translated_fields,
)
from .import_formats import ImportFileError
from .import_rows import (
    SHOWN_ROWS,
    ImportErrorResult,
    ImportResult,
    KeyedInstanceLoader,
    UnlistedRowDiff,
    constraint_error,
    related_records,
)
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

# Resources ----------------------------------------------------------------------


def _verbose_name(model_field):
    """A field's verbose name; for a relation left with the default one (its
    name, never translated), the related model's."""
    default = model_field.name.replace("_", " ")
    if model_field.is_relation and model_field.verbose_name == default:
        return model_field.related_model._meta.verbose_name
    return model_field.verbose_name


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
        **{
            name: WholeNumberWidget
            for name, widget in ModelResource.WIDGETS_MAP.items()
            if widget is widgets.IntegerWidget
        },
        "CharField": LineWidget,
        "DateField": DateWidget,
        "TextField": TextWidget,
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
            keys.get(stripped(header), header) for header in dataset.headers
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
