"""Translations to review in the admin (clair_portal.foundation.translation_review).

- Every admin of program records (TranslationReviewMixin, on the shared
  bases) records which languages a save changed, of the record and of the
  records edited inline, and shows on the record's page the languages to
  review: a mark beside each field, and both texts side by side above the
  form, each with a button to confirm it.
- "Translations to review" (TranslationStateAdmin) lists them across every
  model, filtered by model and language, searched in their texts, with both
  texts side by side and a link to the record; an action confirms the
  selected ones.

A person sees and confirms the states of the models they may change, and only
those: the states have no permissions of their own.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.defaultfilters import linebreaks_filter
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modeltranslation.utils import build_localized_fieldname

from .admin_lookups import NoRegexLookupsMixin
from .models import TranslationState
from .translation_review import (
    translated_models,
    translation_changes_record,
    translation_columns,
    translation_review_confirm,
    translation_states_to_review,
    translation_values_stored,
)

CONFIRM_FORM_ID = "translation-review-form"
LANGUAGE_NAMES = dict(settings.LANGUAGES)


def can_change(user, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")


def changeable_translated_models(user) -> list:
    """The translated models whose records `user` may change (and so whose
    translations they may see to review and confirm)."""
    return [model for model in translated_models() if can_change(user, model)]


def record_admin_url(record, site=admin.site) -> str | None:
    """The admin page a record is edited on: its own, or its parent's for a
    record edited inline there."""
    model = type(record)
    if site.is_registered(model):
        opts = model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]
        )
    for field in model._meta.fields:
        if field.many_to_one and site.is_registered(field.related_model):
            opts = field.related_model._meta
            return reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[getattr(record, field.attname)],
            )
    return None


def _when(moment) -> str:
    return localize(timezone.localtime(moment)) if moment else ""


def review_explanation(state: TranslationState) -> str:
    """Why a language is to review: "The Japanese text changed on … (by …)"."""
    params = {
        "language": LANGUAGE_NAMES.get(state.review_source, state.review_source),
        "date": _when(state.review_requested_at),
        "user": state.review_requested_by or "—",
    }
    return gettext("The %(language)s text changed on %(date)s (%(user)s).") % params


def confirm_button(state: TranslationState):
    """A button of the confirmation form (outside the record's form, so that
    pressing Enter in a field still saves the record)."""
    return format_html(
        '<button type="submit" class="button translation-review-confirm" '
        'form="{}" name="state" value="{}">{}</button>',
        CONFIRM_FORM_ID,
        state.pk,
        gettext("Confirm the translation"),
    )


# The record's page -----------------------------------------------------------------


@dataclass
class ReviewEntry:
    state: TranslationState
    label: str
    texts: list  # [(language name, text, to review, language code)]
    explanation: str

    @property
    def button(self):
        return confirm_button(self.state)


class TranslationReviewMixin:
    """For the admin of a model and its inlines: each save records the
    languages it changed (translation_changes_record), and the change page
    shows the languages to review (one query for the record and the records
    shown inline)."""

    def save_model(self, request, obj, form, change):
        stored = translation_values_stored(type(obj), [obj.pk]) if change else {}
        super().save_model(request, obj, form, change)
        translation_changes_record(
            instance=obj, before=stored.get(obj.pk), user=request.user
        )

    def save_formset(self, request, form, formset, change):
        model = formset.model
        if not translation_columns(model):
            return super().save_formset(request, form, formset, change)
        stored = translation_values_stored(
            model,
            [
                inline_form.instance.pk
                for inline_form in formset.initial_forms
                if inline_form.has_changed()
            ],
        )
        super().save_formset(request, form, formset, change)
        for record in formset.new_objects:
            translation_changes_record(instance=record, before=None, user=request.user)
        for record, _fields in formset.changed_objects:
            translation_changes_record(
                instance=record, before=stored.get(record.pk), user=request.user
            )

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None and obj.pk is not None:
            context["translation_review"] = self.translation_review(request, context)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def translation_review(self, request, context) -> dict | None:
        forms = [(context["adminform"].form, None)] + [
            (inline_form, inline_formset.opts)
            for inline_formset in context.get("inline_admin_formsets", [])
            for inline_form in inline_formset.formset.forms
        ]
        records = {
            (type(form.instance), form.instance.pk): (form, inline)
            for form, inline in forms
            if form.instance.pk is not None
        }
        # Only the models the user may change: the others' states are not
        # theirs to see.
        states = [
            state
            for state in translation_states_to_review(
                form.instance for form, _inline in forms
            )
            if can_change(request.user, state.model)
        ]
        if not states:
            return None
        entries = []
        for state in states:
            form, inline = records[state.model, state.object_id]
            record = form.instance
            label = capfirst(state.field_label)
            if inline is not None:
                label = format_html(
                    "{} «{}»: {}", capfirst(inline.verbose_name), record, label
                )
            entry = ReviewEntry(
                state=state,
                label=label,
                texts=[
                    (
                        name,
                        getattr(record, build_localized_fieldname(state.field, code)),
                        code == state.language,
                        code,
                    )
                    for code, name in settings.LANGUAGES
                ],
                explanation=review_explanation(state),
            )
            entries.append(entry)
            self._mark_field(form, state, entry)
        return {
            "entries": entries,
            "languages": list(LANGUAGE_NAMES.values()),
            "form_id": CONFIRM_FORM_ID,
            "confirm_url": reverse("admin:clair_portal_translationstate_confirm"),
            "next": request.get_full_path(),
        }

    @staticmethod
    def _mark_field(form, state, entry):
        """The mark beside the field of the language to review (where the form
        shows its help text: the record's fields and stacked inlines)."""
        field = form.fields.get(build_localized_fieldname(state.field, state.language))
        if field is None:  # read-only
            return
        mark = format_html(
            '<span class="translation-review-mark">{}</span> {} {}',
            gettext("To review"),
            entry.explanation,
            entry.button,
        )
        field.help_text = (
            format_html("{}<br>{}", field.help_text, mark) if field.help_text else mark
        )


# The list of translations to review -----------------------------------------------


class ReviewStatusFilter(admin.SimpleListFilter):
    title = pgettext_lazy("translation review", "status")
    parameter_name = "status"
    TO_REVIEW, ALL = "review", "all"

    def lookups(self, request, model_admin):
        return [(self.TO_REVIEW, _("to review")), (self.ALL, _("all"))]

    def value(self):
        return super().value() or self.TO_REVIEW

    def queryset(self, request, queryset):
        if self.value() == self.TO_REVIEW:
            return queryset.to_review()
        if self.value() == self.ALL:
            return queryset
        raise IncorrectLookupParameters(self.value())

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup}
                ),
                "display": title,
            }


class TranslatedModelFilter(admin.SimpleListFilter):
    """The kinds of record the user may change."""

    title = _("kind of record")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        models = changeable_translated_models(request.user)
        content_types = ContentType.objects.get_for_models(*models)
        return sorted(
            (
                (
                    str(content_types[model].pk),
                    capfirst(model._meta.verbose_name_plural),
                )
                for model in models
            ),
            key=lambda choice: str(choice[1]),
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in {choice for choice, _title in self.lookup_choices}:
            raise IncorrectLookupParameters(value)
        return queryset.filter(content_type_id=int(value))


def _text_column(code, *, full):
    @admin.display(description=LANGUAGE_NAMES[code])
    def column(model_admin, state):
        record = state.record
        if record is None:
            return "—"
        # "" for a field no longer translated (its registration changed).
        text = getattr(record, build_localized_fieldname(state.field, code), "") or ""
        shown = (
            linebreaks_filter(text, autoescape=True)
            if full
            else Truncator(text).chars(200)
        )
        mark = (
            format_html(
                '<span class="translation-review-mark">{}</span> ', gettext("To review")
            )
            if state.needs_review and code == state.language
            else ""
        )
        return format_html(
            '<div class="translation-review-text" lang="{}">{}{}</div>',
            code,
            mark,
            shown or "—",
        )

    return column


TEXT_COLUMNS = [build_localized_fieldname("text", code) for code in LANGUAGE_NAMES]
FULL_TEXT_COLUMNS = [
    build_localized_fieldname("full_text", code) for code in LANGUAGE_NAMES
]


@admin.register(TranslationState)
class TranslationStateAdmin(NoRegexLookupsMixin, admin.ModelAdmin):
    """Translations to review across every model (see the module's docstring).
    Read-only: the states change by the records' saves and by confirmation."""

    list_display = [
        "record_link",
        "field_display",
        "language",
        *TEXT_COLUMNS,
        "explanation",
    ]
    list_display_links = ["field_display"]
    list_filter = [ReviewStatusFilter, TranslatedModelFilter, "language"]
    list_select_related = ["content_type", "review_requested_by"]
    list_per_page = 25
    show_full_result_count = False
    search_fields = ["field"]
    search_help_text = _("Searches the texts of every language.")
    actions = ["confirm"]
    fields = [
        "record_link",
        "field_display",
        "language",
        *FULL_TEXT_COLUMNS,
        "changed_at",
        "changed_by",
        "needs_review",
        "review_source",
        "review_requested_at",
        "review_requested_by",
        "reviewed_at",
        "reviewed_by",
    ]
    readonly_fields = fields

    # Permissions: those of the records' models ---------------------------------

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            return obj.model is not None and can_change(request.user, obj.model)
        return bool(changeable_translated_models(request.user))

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_confirm_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        models = changeable_translated_models(request.user)
        content_types = ContentType.objects.get_for_models(*models)
        # Each kind of record on the page in one query, with what its name
        # (__str__) follows.
        records = [model._default_manager.select_related() for model in models]
        return (
            super()
            .get_queryset(request)
            .filter(content_type__in=[ct.pk for ct in content_types.values()])
            .prefetch_related(GenericPrefetch("record", records))
        )

    def get_search_results(self, request, queryset, search_term):
        """The states whose record has the term in any language of any of its
        translated texts, or whose field name has it: one query, a subquery
        per kind of record."""
        term = search_term.strip()
        if not term:
            return queryset, False
        models = changeable_translated_models(request.user)
        content_types = ContentType.objects.get_for_models(*models)
        condition = Q(field__icontains=term)
        for model in models:
            texts = Q()
            for languages in translation_columns(model).values():
                for column in languages.values():
                    texts |= Q(**{f"{column}__icontains": term})
            condition |= Q(
                content_type=content_types[model],
                object_id__in=model._base_manager.filter(texts).values("pk"),
            )
        return queryset.filter(condition), False

    # Columns --------------------------------------------------------------------

    @admin.display(description=_("record"))
    def record_link(self, state):
        record = state.record
        if record is None:
            return "—"
        name = f"{capfirst(record._meta.verbose_name)}: {record}"
        url = record_admin_url(record, self.admin_site)
        return format_html('<a href="{}">{}</a>', url, name) if url else name

    @admin.display(description=_("why"), ordering="review_requested_at")
    def explanation(self, state):
        if not state.needs_review:
            return "—"
        return review_explanation(state)

    @admin.display(description=pgettext_lazy("a record's text", "field"))
    def field_display(self, state):
        return capfirst(state.field_label)

    # Confirmation ---------------------------------------------------------------

    @admin.action(
        description=_("Confirm the selected translations"), permissions=["confirm"]
    )
    def confirm(self, request, queryset):
        self._confirm(request, queryset)

    def _confirm(self, request, states):
        count = translation_review_confirm(states=states, user=request.user)
        if count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d translation confirmed.",
                    "%(count)d translations confirmed.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, gettext("No translation was left to confirm."), messages.INFO
            )

    def get_urls(self):
        return [
            path(
                "confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="clair_portal_translationstate_confirm",
            ),
            *super().get_urls(),
        ]

    def confirm_view(self, request):
        """POST state=<id>... and next=<the page to go back to>: confirms those
        of the states the user may confirm (the buttons of a record's page)."""
        return require_POST(self._confirm_view)(request)

    def _confirm_view(self, request):
        if not self.has_confirm_permission(request):
            raise PermissionDenied
        # ASCII digits only: str.isdigit() also takes "²" and "２", which the
        # database refused (a 500) or read as another id.
        ids = [
            value
            for value in request.POST.getlist("state")
            if value.isascii() and value.isdigit() and len(value) <= 18
        ]
        self._confirm(request, self.get_queryset(request).filter(pk__in=ids))
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            target = reverse("admin:clair_portal_translationstate_changelist")
        return HttpResponseRedirect(target)


# One column per language (settings.LANGUAGES), as the names above.
for _code in LANGUAGE_NAMES:
    setattr(
        TranslationStateAdmin,
        build_localized_fieldname("text", _code),
        _text_column(_code, full=False),
    )
    setattr(
        TranslationStateAdmin,
        build_localized_fieldname("full_text", _code),
        _text_column(_code, full=True),
    )
