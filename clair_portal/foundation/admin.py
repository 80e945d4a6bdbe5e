"""What every admin shares, and the admin of places, photos and the office.

Translated models are edited with both languages side by side: each
language's input of a field in its own column, Japanese left and Chinese
right (modeltranslation's plain admin, laid out by static/admin_extra/admin.css
from the inputs' `lang`), and every translated changelist has a
"translation: missing / to review / complete"
filter. Every program admin records which languages a save changed and
shows the languages to review (translation_review_admin).
"""

import json
import logging

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import smart_split
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportMixin
from import_export.forms import ImportForm, SelectableFieldsExportForm
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationGenericTabularInline,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.utils import get_translation_fields
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.jobs import Status

from . import import_formats, resources
from .admin_lookups import NoRegexLookupsMixin
from .history_admin import CheckedHistoryAdmin
from .images import PhotoImageField
from .logging import redact
from .mail import mail_queue_interrupted, mail_queue_pending
from .models import (
    BrochureEdition,
    ChineseLocalGovernment,
    Greeting,
    JapaneseLocalGovernment,
    KeyFigure,
    OfficeContact,
    OutgoingMail,
    Photo,
    ProgramIntro,
    StaffMember,
    TranslationState,
    photo_owners,
)
from .place_search import clean_query
from .plain_text import plain_text_form_class
from .translation_review import translation_review_counts
from .translation_review_admin import TranslationReviewMixin, can_change
from .translations import missing_translation_counts, missing_translation_q

logger = logging.getLogger(__name__)

admin.site.site_header = _("CLAIR Beijing portal administration")
admin.site.site_title = _("CLAIR Beijing portal")
admin.site.index_title = _("Programs and office records")


# Shared pieces ---------------------------------------------------------------------


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("missing", _("missing")),
            ("review", _("to review")),
            ("complete", _("complete")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(missing_translation_q(queryset.model))
        if self.value() == "review":
            to_review = TranslationState.objects.to_review().filter(
                content_type=ContentType.objects.get_for_model(queryset.model)
            )
            return queryset.filter(pk__in=to_review.values("object_id"))
        if self.value() == "complete":
            return queryset.exclude(missing_translation_q(queryset.model))
        return queryset


class LabelledExportForm(SelectableFieldsExportForm):
    """The export form's column choices under the headers the file will have."""

    def _get_field_label(self, resource, field_name):
        return resource.column_labels().get(field_name, field_name)


class ExportAdminMixin(ExportMixin):
    """Export of the changelist's records, its filters applied, as CSV (UTF-8
    with a byte order mark, for Excel) or XLSX, by users with the export
    permission (IMPORT_EXPORT_EXPORT_PERMISSION_CODE in settings).

    The admin names its resources in `resource_classes` (see <app>/resources.py);
    without one it exports nothing, as import-export's default resource would
    export the bare translated fields."""

    to_encoding = import_formats.CSV_ENCODING
    export_form_class = LabelledExportForm

    @property
    def formats(self):
        return import_formats.FORMATS

    def has_export_permission(self, request):
        return bool(self.resource_classes) and super().has_export_permission(request)

    def get_export_filename(self, request, queryset, file_format):
        # The office's day: import-export's is UTC's, so a file exported in
        # Beijing before 8:00 was named for the day before.
        day = timezone.localdate()
        return f"{self.model.__name__}-{day:%Y-%m-%d}.{file_format.get_extension()}"

    def export_action(self, request):
        # The export takes the list's filters from its address; one the list
        # does not know (?format=0) was a 500. The export page again, without
        # them, says so.
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            self.message_user(
                request,
                gettext(
                    "The filters in the address were not understood: choose "
                    "them again on the list, then export."
                ),
                messages.WARNING,
            )
            return HttpResponseRedirect(request.path)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """As import-export's, but numbers and dates stay numbers and dates in
        any binary format (XLSX), not only in import-export's own classes."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request, queryset, force_native_type=file_format.is_binary(), **kwargs
        )
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data


class SizeLimitedImportForm(ImportForm):
    """import-export's import form, refusing a file larger than
    IMPORT_MAX_SIZE before anything reads it."""

    def clean_import_file(self):
        import_file = self.cleaned_data["import_file"]
        if import_file.size > settings.IMPORT_MAX_SIZE:
            raise ValidationError(
                _(
                    "The file is larger than %(max)s (%(size)s). Split it and "
                    "import the parts one after another."
                ),
                code="too_large",
                params={
                    "max": filesizeformat(settings.IMPORT_MAX_SIZE),
                    "size": filesizeformat(import_file.size),
                },
            )
        return import_file


class ImportExportAdminMixin(ImportMixin, ExportAdminMixin):
    """Export, and import in two steps: a dry run shows the rows' changes or
    errors (the first rows': import_rows.ImportResult), and nothing is written
    until the user confirms. A file past the import limits (settings,
    IMPORT_MAX_*), or that cannot be read as its format, is refused with a
    message saying why, as soon as it is found."""

    import_export_change_list_template = (
        "admin/import_export/change_list_import_export.html"
    )
    import_template_name = "admin/import_export/import_bounded.html"
    import_form_class = SizeLimitedImportForm
    from_encoding = import_formats.CSV_ENCODING

    def add_data_read_fail_error_to_form(self, form, e):
        message = import_formats.import_file_error_message(e)
        if message is not None:
            form.add_error("import_file", message)
        else:
            # import-export's message, in the admin's language (locale_packages
            # words it without the Python exception, which goes to the log).
            logger.warning("An import file could not be read", exc_info=e)
            super().add_data_read_fail_error_to_form(form, e)

    def has_import_permission(self, request):
        # The permission of IMPORT_EXPORT_IMPORT_PERMISSION_CODE ("change"),
        # and "add": an import adds records as well as changing them.
        return (
            bool(self.resource_classes)
            and super().has_import_permission(request)
            and self.has_add_permission(request)
        )


# Each word of a search adds conditions to the list's query (an OR over the
# searched columns; in the queue, two lookups of places too): 1,900 words took
# a minute, past the worker's timeout. Nobody looks for more than a few.
MAX_SEARCH_WORDS = 10


def bounded_search(request, search_term: str) -> str:
    """The search's first MAX_SEARCH_WORDS words, as the admin splits them
    ("quoted phrases" are one word), with a message on the list's page when
    it had more (not in an autocomplete's answer, which shows none)."""
    words = list(smart_split(search_term))
    if len(words) <= MAX_SEARCH_WORDS:
        return search_term
    if getattr(request.resolver_match, "url_name", "") != "autocomplete":
        messages.warning(
            request,
            gettext("Only the first %(count)d words of the search were looked for.")
            % {"count": MAX_SEARCH_WORDS},
        )
    return " ".join(words[:MAX_SEARCH_WORDS])


class BoundedSearchMixin(NoRegexLookupsMixin):
    """A list that costs a bounded time whatever its URL says: a search of at
    most MAX_SEARCH_WORDS words, and no regular expression in its lookups."""

    def get_search_results(self, request, queryset, search_term):
        return self.bounded_search_results(
            request, queryset, bounded_search(request, search_term)
        )

    def bounded_search_results(self, request, queryset, search_term):
        """The admin's search, given at most MAX_SEARCH_WORDS words: a list
        that searches in its own way overrides this, not get_search_results."""
        return super().get_search_results(request, queryset, search_term)


class PrefetchingChangeList(ChangeList):
    """A changelist whose rows come with their admin's list_prefetch_related."""

    def apply_select_related(self, qs):
        qs = super().apply_select_related(qs)
        return qs.prefetch_related(*self.model_admin.list_prefetch_related)


class BoundedChangeListMixin(BoundedSearchMixin):
    """A changelist that costs the same whatever the size of its table.

    At scale 100 the time of a list went into rendering its rows in Python
    (each row's cells, links and action checkbox: about 1 ms a row on the
    two-core server), not into queries: a page shows 25 rows rather than
    Django's 100. And one count, of the rows shown: the count of the whole
    table as well doubled the cost of a search."""

    list_per_page = 25
    show_full_result_count = False
    # No facet counts (?_facets=True, the "show counts" link) either: a count
    # of each choice of each filter, on the support queue at scale 100 42 to
    # 221 queries and 0.9 to 7 s.
    show_facets = admin.ShowFacets.NEVER
    # Relations a list shows but reads in a query of their own rather than
    # by a join: PostgreSQL plans each join on every page, and the support
    # queue's six took 4 ms to plan a query that ran in 0.7 ms.
    list_prefetch_related = ()

    def get_changelist(self, request, **kwargs):
        return PrefetchingChangeList

    def action_checkbox(self, obj):
        # Django's renders a checkbox widget, a template, for each row: a
        # tenth of the support queue's time. The same input, written here.
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select"'
            ' aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )


class PlaceListFilter(admin.RelatedOnlyFieldListFilter):
    """The places a list's records name, as a filter while it is short enough
    to read: a sidebar of hundreds of places helps nobody (the search finds a
    place by name in both languages) and took most of a list's time at scale
    100 (700 links on the LGOTP list)."""

    MAX_CHOICES = 50

    def field_choices(self, field, request, model_admin):
        # As RelatedOnlyFieldListFilter's, reading one place more than it
        # shows rather than every place named.
        named = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        places = field.related_model._default_manager.filter(pk__in=named).order_by(
            *(self.field_admin_ordering(field, request, model_admin) or ["pk"])
        )
        return [(place.pk, str(place)) for place in places[: self.MAX_CHOICES + 1]]

    def has_output(self):
        return super().has_output() and len(self.lookup_choices) <= self.MAX_CHOICES


class PlainTextFieldsMixin:
    """What staff type or paste from Word is kept as plain text
    (plain_text.py): a line break of Word's (U+000B) in a news title made the
    news feed a 500, and any control character failed every XLSX export."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        form_class = plain_text_form_class(db_field)
        if form_class is not None:
            kwargs.setdefault("form_class", form_class)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ProgramAdmin(
    TranslationReviewMixin,
    PlainTextFieldsMixin,
    BoundedChangeListMixin,
    ImportExportAdminMixin,
    CheckedHistoryAdmin,
):
    """The admin of an untranslated program model, with its change history
    (who changed what and when: clair_portal.foundation.history) and the
    translations to review of the records it edits inline."""


class LanguageMarkedFieldsMixin:
    """Each language's input of a translated field carries its `lang`: the
    browser then draws Chinese in a Chinese typeface in the Japanese admin
    (and the reverse), and spell-checks and reads it aloud as what it is."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)  # modeltranslation's
        if formfield is not None and language:
            formfield.widget.attrs["lang"] = language
        return formfield


class TranslatedEditAdmin(
    TranslationReviewMixin,
    PlainTextFieldsMixin,
    LanguageMarkedFieldsMixin,
    BoundedChangeListMixin,
    CheckedHistoryAdmin,
    TranslationAdmin,
):
    """Both languages side by side, the translation filter, and search in both
    languages: a translated field in `search_fields` searches its `_ja` and
    `_zh_hans` columns. With the change history (CheckedHistoryAdmin) and the
    translations to review (TranslationReviewMixin), without import and export
    (the office's own texts, such as the news)."""

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), MissingTranslationFilter]

    def get_search_fields(self, request):
        translated = self.trans_opts.all_fields
        return [
            lookup
            for name in super().get_search_fields(request)
            for lookup in (
                get_translation_fields(name) if name in translated else [name]
            )
        ]


class TranslatedAdmin(ImportExportAdminMixin, TranslatedEditAdmin):
    """TranslatedEditAdmin with import and export (ImportExportAdminMixin):
    every program record's admin."""


class TranslatedInlineMixin(PlainTextFieldsMixin, LanguageMarkedFieldsMixin):
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        """Each input of a row named by its column and row (a table's inputs
        have no label of their own: axe's "label" and "select-name")."""
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            @cached_property
            def empty_form(self):
                # Django builds the template row again each time the admin
                # asks for it (media, the inline's data, its rows): five times
                # per inline, a sixth of a change page's time.
                return super().empty_form

            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():
                    column = field.label or ""
                    # The template row: each row "add another" copies from it
                    # keeps this label (the admin's script renumbers ids only).
                    label = (
                        _("%(column)s, new row") % {"column": column}
                        if index is None
                        else _("%(column)s, row %(row)s")
                        % {"column": column, "row": index + 1}
                    )
                    field.widget.attrs.setdefault("aria-label", label)

        return LabelledFormSet


class TranslatedTabularInline(TranslatedInlineMixin, TranslationTabularInline):
    pass


class TranslatedStackedInline(TranslatedInlineMixin, TranslationStackedInline):
    pass


class PhotoPreviewMixin:
    readonly_fields = ["preview"]
    formfield_overrides = {models.ImageField: {"form_class": PhotoImageField}}

    @admin.display(description=_("preview"))
    def preview(self, photo):
        if not photo.image:
            return _("Image to upload")
        try:
            url = photo.thumbnail.url
        except OSError:  # the original file is gone: nothing to resize
            return photo.image.name
        return format_html('<img src="{}" alt="{}" height="96">', url, photo.caption)


class PhotoInline(
    PhotoPreviewMixin, TranslatedInlineMixin, TranslationGenericTabularInline
):
    """The photos of any model with `photos = GenericRelation(Photo)`."""

    model = Photo
    fields = ["image", "preview", "caption", "position"]


class FiscalYearRecordMixin:
    """For the admin of a FiscalYearRecord: listed by fiscal year, with photos.

    The fiscal year may be left empty when a start date is given: the model's
    clean() derives it. Where it is always derived (DatedRecord), it is shown
    read-only."""

    inlines = [PhotoInline]
    list_filter = ["fiscal_year"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not self.model._meta.get_field("fiscal_year").editable:
            return [*fields, "fiscal_year"]
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "fiscal_year" and formfield is not None:
            formfield.required = False
        return formfield


# Missing translations page -----------------------------------------------------------


def _changelist_url(model, query):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(query)}"


def missing_translation_url(model):
    """The changelist that shows `model`'s records lacking a translation; for a
    model edited inline, its parents' changelist restricted to those parents."""
    if admin.site.is_registered(model):
        return _changelist_url(
            model, {MissingTranslationFilter.parameter_name: "missing"}
        )
    for field in model._meta.fields:
        if field.many_to_one and admin.site.is_registered(field.related_model):
            parents = model._default_manager.filter(
                missing_translation_q(model)
            ).values_list(field.attname, flat=True)
            ids = ",".join(str(pk) for pk in sorted(set(parents)))
            return _changelist_url(field.related_model, {"pk__in": ids})
    return None


def _can_view(user, model):
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


def translations_to_review_url(model):
    return _changelist_url(
        TranslationState,
        {"model": ContentType.objects.get_for_model(model).pk},
    )


def missing_translations_view(request):
    """Per translated model, how many records lack a language, and how many
    languages are to review (admin page)."""
    to_review = translation_review_counts()
    rows = []
    for model, count in missing_translation_counts():
        if not _can_view(request.user, model):
            continue
        # The languages to review are shown to those who may change them.
        review_count = (
            to_review.get(ContentType.objects.get_for_model(model).pk, 0)
            if can_change(request.user, model)
            else None
        )
        rows.append(
            {
                "opts": model._meta,
                "count": count,
                "url": missing_translation_url(model) if count else None,
                "review_count": review_count,
                "review_url": (
                    translations_to_review_url(model) if review_count else None
                ),
            }
        )
    context = {
        **admin.site.each_context(request),
        "title": _("Missing translations"),
        "review_url": reverse("admin:clair_portal_translationstate_changelist"),
        "rows": rows,
    }
    return TemplateResponse(request, "admin/missing_translations.html", context)


# Places ----------------------------------------------------------------------------


class PlaceAdmin(TranslatedAdmin):
    # Other admins point at places through autocomplete_fields (1,788 and 368
    # places: never a select of them all).
    search_fields = ["code", "name"]
    list_display = ["code", "name", "kind"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "reading":
            formfield.widget.attrs["lang"] = "ja"  # a reading in katakana
        return formfield

    def bounded_search_results(self, request, queryset, search_term):
        """Also the places whose names contain the text in the other script
        or as read (鹿儿岛, かごしま), as the request forms find them."""
        found, may_have_duplicates = super().bounded_search_results(
            request, queryset, search_term
        )
        folded = clean_query(search_term)
        if folded:
            found |= queryset.filter(search__contains=folded)
        return found, may_have_duplicates


@admin.register(JapaneseLocalGovernment)
class JapaneseLocalGovernmentAdmin(PlaceAdmin):
    resource_classes = [resources.JapaneseLocalGovernmentResource]
    list_display = [*PlaceAdmin.list_display, "prefecture"]
    list_filter = ["kind", "prefecture"]
    list_select_related = ["prefecture"]
    autocomplete_fields = ["prefecture"]


@admin.register(ChineseLocalGovernment)
class ChineseLocalGovernmentAdmin(PlaceAdmin):
    resource_classes = [resources.ChineseLocalGovernmentResource]
    list_display = [*PlaceAdmin.list_display, "province"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]


# Photos ----------------------------------------------------------------------------


@admin.register(Photo)
class PhotoAdmin(PhotoPreviewMixin, TranslatedAdmin):
    resource_classes = [resources.PhotoResource]
    list_display = ["caption", "subject_display", "position", "image_status"]
    list_filter = [
        ("image", admin.EmptyFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["content_type"]
    search_fields = ["caption"]
    fields = ["content_type", "object_id", "image", "preview", "caption", "position"]

    def get_queryset(self, request):
        # A subject's name may follow a foreign key (a seminar's host city):
        # fetch subjects with their required relations, one query per kind.
        subjects = [model._default_manager.select_related() for model in photo_owners()]
        return (
            super()
            .get_queryset(request)
            .prefetch_related(GenericPrefetch("subject", subjects))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            owners = ContentType.objects.get_for_models(*photo_owners())
            kwargs["queryset"] = ContentType.objects.filter(
                pk__in=[content_type.pk for content_type in owners.values()]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("attached to"))
    def subject_display(self, photo):
        return photo.subject

    @admin.display(description=_("image"), ordering="image")
    def image_status(self, photo):
        """Public pages draw only photos with an image; the others wait here."""
        return _("Shown") if photo.image else _("Image to upload")


# The office ------------------------------------------------------------------------


@admin.register(BrochureEdition)
class BrochureEditionAdmin(TranslatedAdmin):
    resource_classes = [resources.BrochureEditionResource]
    list_display = ["year", "title", "source_language"]
    search_fields = ["title"]
    inlines = [PhotoInline]


@admin.register(KeyFigure)
class KeyFigureAdmin(TranslatedAdmin):
    resource_classes = [resources.KeyFigureResource]
    list_display = ["metric", "value", "as_of", "edition"]
    list_filter = ["metric", "edition"]
    list_select_related = ["edition"]
    autocomplete_fields = ["edition"]


@admin.register(StaffMember)
class StaffMemberAdmin(TranslatedAdmin):
    resource_classes = [resources.StaffMemberResource]
    list_display = ["name", "role", "edition", "position"]
    list_filter = ["edition", "role"]
    list_select_related = ["edition"]
    autocomplete_fields = ["edition"]
    search_fields = ["name", "seconded_from"]


@admin.register(Greeting)
class GreetingAdmin(TranslatedAdmin):
    resource_classes = [resources.GreetingResource]
    list_display = ["edition", "director"]
    list_select_related = ["edition", "director"]
    autocomplete_fields = ["edition", "director"]


@admin.register(OfficeContact)
class OfficeContactAdmin(TranslatedAdmin):
    resource_classes = [resources.OfficeContactResource]
    list_display = ["site", "edition", "organisation", "telephone", "email"]
    list_filter = ["edition", "site"]
    list_select_related = ["edition"]
    autocomplete_fields = ["edition"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [PhotoInline]


@admin.register(ProgramIntro)
class ProgramIntroAdmin(TranslatedAdmin):
    resource_classes = [resources.ProgramIntroResource]
    list_display = ["program", "edition", "title", "started_year"]
    list_filter = ["edition", "program"]
    list_select_related = ["edition"]
    autocomplete_fields = ["edition"]
    search_fields = ["title", "body", "public_note"]
    inlines = [PhotoInline]


# Mail ------------------------------------------------------------------------------


class MailStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("pending")),
            ("sending", _("being sent")),
            ("interrupted", _("interrupted")),
            ("sent", _("sent")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.pending()
        if self.value() == "sending":
            return queryset.sending()
        if self.value() == "interrupted":
            return queryset.interrupted()
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(OutgoingMail)
class OutgoingMailAdmin(BoundedChangeListMixin, admin.ModelAdmin):
    """The outbox, read-only: mail is written by the services and sent by the
    worker. "Send now" has the worker send pending mail at once; "Send again"
    is for interrupted mail that staff found, by its Message-ID, undelivered."""

    list_display = [
        "recipient_list",
        "subject",
        "created_at",
        "state",
        "sent_at",
        "attempts",
        "last_error",
    ]
    list_filter = [MailStateFilter, "language"]
    search_fields = ["recipients", "subject", "message_id"]
    # Mails to requesters carry their tracking links, and their signed reply
    # address (mail to it is filed as the requester's words).
    secret_fields = ("body", "reply_to")
    fields = [
        "recipients",
        "subject",
        "language",
        "body_shown",
        "created_at",
        "state",
        "message_id",
        "sending_started_at",
        "sent_at",
        "attempts",
        "last_error",
    ]
    readonly_fields = fields

    @admin.display(description=_("body"))
    def body_shown(self, mail):
        # The tracking links of mails to requesters are theirs alone: the
        # outbox shows them as /track/…/, as the logs do.
        return redact(mail.body)

    actions = ["send_now", "send_interrupted_again"]

    @admin.display(description=_("recipients"))
    def recipient_list(self, mail):
        return ", ".join(mail.recipients.split())

    @admin.display(description=_("state"))
    def state(self, mail):
        return mail.state_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request):
        # Sending writes (attempts, errors): the change permission, which the
        # read-only admin otherwise never uses.
        opts = self.opts
        codename = get_permission_codename("change", opts)
        return request.user.has_perm(f"{opts.app_label}.{codename}")

    @admin.action(description=_("Send now"), permissions=["send"])
    def send_now(self, request, queryset):
        queued = mail_queue_pending(mails=queryset)
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d mail queued; the worker sends it at once.",
                    "%(count)d mails queued; the worker sends them at once.",
                    queued,
                )
                % {"count": queued},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, _("None of the selected mail is pending."), messages.INFO
            )

    @admin.action(
        description=_("Send interrupted mail again (delivery checked)"),
        permissions=["send"],
    )
    def send_interrupted_again(self, request, queryset):
        queued = mail_queue_interrupted(mails=queryset)
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d interrupted mail queued to be sent again.",
                    "%(count)d interrupted mails queued to be sent again.",
                    queued,
                )
                % {"count": queued},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, _("None of the selected mail is interrupted."), messages.INFO
            )


# The worker's jobs (procrastinate's own admin, with a status filter that
# takes only real statuses: its column is a PostgreSQL enum, and any other
# value in ?status= was a database error, a 500).


class JobStatusFilter(admin.SimpleListFilter):
    title = pgettext_lazy("background job", "status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return model_admin.model._meta.get_field("status").choices

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in dict(self.lookup_choices):
            raise IncorrectLookupParameters(value)
        return queryset.filter(status=value)


def reregister(model, *mixins, **attributes):
    """Register `model` again with its package's admin under `mixins` and
    with `attributes`: the portal's ways on a list it did not write. Returns
    the new admin class."""
    package_admin = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    model_admin = type(package_admin.__name__, (*mixins, package_admin), attributes)
    admin.site.register(model, model_admin)
    return model_admin


def group_label(group: Group) -> str:
    """A staff group's name in the reader's language: the names the portal
    gives its groups ("editors", "support desk") are kept in English, as the
    code finds them, and translated where people read them."""
    return gettext(group.name)


class TranslatedGroupFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return [
            (pk, gettext(name))
            for pk, name in super().field_choices(field, request, model_admin)
        ]


class StaffUserMixin:
    """Django's user list and form, each group by its translated name."""

    def get_list_filter(self, request):
        return [
            ("groups", TranslatedGroupFilter) if entry == "groups" else entry
            for entry in super().get_list_filter(request)
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        form_field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and form_field is not None:
            form_field.label_from_instance = group_label
        return form_field


class StaffGroupMixin:
    list_display = ["translated_name"]

    @admin.display(description=_("name"), ordering="name")
    def translated_name(self, group):
        return group_label(group)


# Staff accounts and groups: Django's own lists, with the search bounded as
# every list of the portal is.
reregister(get_user_model(), StaffUserMixin, BoundedSearchMixin)
reregister(Group, StaffGroupMixin, BoundedSearchMixin)


class JobAdminMixin(NoRegexLookupsMixin):
    """procrastinate's job list in the admin's languages, with a status filter
    that takes only real statuses."""

    def get_list_filter(self, request):
        return [
            JobStatusFilter,
            *(entry for entry in super().get_list_filter(request) if entry != "status"),
        ]

    @admin.display(description=pgettext_lazy("background job", "status"))
    def pretty_status(self, instance):
        return instance.get_status_display()

    def get_list_display(self, request):
        return [
            "number" if entry == "pk" else entry
            for entry in super().get_list_display(request)
        ]

    def get_fields(self, request, obj=None):
        return [
            "number" if name == "pk" else name
            for name in super().get_fields(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["number", *super().get_readonly_fields(request, obj)]

    @admin.display(description=_("number"), ordering="pk")
    def number(self, instance):
        return instance.pk

    @admin.display(description=_("task"))
    def short_task_name(self, instance):
        # The task's whole name: procrastinate's shortens dotted module names
        # to their initials, and an undotted name to ".send_mail".
        return instance.task_name

    @admin.display(description=_("summary"))
    def summary(self, instance):
        return super().summary(instance)

    # procrastinate's actions say nothing of what they did: each says how
    # many of the chosen jobs it acted on (the others were in another state).

    def _acted_on(self, request, action, queryset, statuses, message):
        count = queryset.filter(status__in=statuses).count()
        action(request, queryset)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Retry the failed or running jobs"))
    def retry(self, request, queryset):
        self._acted_on(
            request,
            super().retry,
            queryset,
            [Status.FAILED.value, Status.DOING.value],
            gettext("Jobs to retry: %(count)d."),
        )

    @admin.action(description=_("Cancel the waiting jobs"))
    def cancel(self, request, queryset):
        self._acted_on(
            request,
            super().cancel,
            queryset,
            [Status.TODO.value],
            gettext("Jobs cancelled: %(count)d."),
        )

    @admin.action(description=_("Abort the waiting or running jobs"))
    def abort(self, request, queryset):
        self._acted_on(
            request,
            super().abort,
            queryset,
            [Status.TODO.value, Status.DOING.value],
            gettext("Jobs to abort: %(count)d."),
        )

    actions = ["retry", "cancel", "abort"]

    @admin.display(description=_("arguments"))
    def pretty_args(self, instance):
        # procrastinate's own, without its inline style (the CSP refuses it).
        arguments = json.dumps(instance.args, indent=2, ensure_ascii=False)
        if len(arguments) > 2000:
            arguments = arguments[:2000] + "…"
        return format_html('<pre class="job-args">{}</pre>', arguments)

    def lookup_allowed(self, lookup, value, request=None):
        # The admin allows any lookup on a model's own fields: ?status__exact=
        # would skip the filter's check.
        if lookup.startswith("status__"):
            return False
        return super().lookup_allowed(lookup, value, request)


JobAdmin = reregister(ProcrastinateJob, JobAdminMixin)
