"""Translations that know when they are stale.

For each language of each translated field of a record (any model registered
with modeltranslation), a TranslationState says when that language last
changed and by whom, and whether it is "to review": another language of the
field changed since, and nobody has confirmed that this one still says the
same. The rules (translation_changes_record):

- a person changes one language of a field and not the others: each other
  language that has a text becomes "to review";
- several languages of a field change in the same save: none is marked;
- a language that was empty gets a text (a translation made), or a language
  to review is edited (the translation brought up to date): its own mark
  clears and no other language is marked;
- a language emptied marks nothing (it is then a missing translation);
- a person confirms a language to review (translation_review_confirm): the
  mark clears, and the record's history says who confirmed what and when.

The admin (its save of a record and of the records edited inline) calls
translation_changes_record, and imports (ProgramResource) its bulk form,
translation_changes_record_many, once for all their rows; loaddata does not,
so the brochures' data (load_brochures), consistent as printed, marks
nothing.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from modeltranslation import settings as mt_settings
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from .history import history_note
from .models import TranslationState

# Selectors --------------------------------------------------------------------------


def translated_models() -> list[type[models.Model]]:
    return translator.get_registered_models(abstract=False)


def translation_columns(
    model: type[models.Model] | None,
) -> dict[str, dict[str, str]]:
    """{field: {language: column}} for each translated field of `model`;
    empty for a model without translations (or none: a content type whose
    model is gone)."""
    if model is None:
        return {}
    try:
        fields = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return {}
    return {
        field: {
            language: build_localized_fieldname(field, language)
            for language in mt_settings.AVAILABLE_LANGUAGES
        }
        for field in sorted(fields)
    }


def translation_values_stored(
    model: type[models.Model], pks: Iterable
) -> dict[object, dict[str, object]]:
    """{pk: {column: stored value}} of the translation columns of `model`'s
    records `pks`, in one query (none for a model without translations)."""
    columns = [
        column
        for languages in translation_columns(model).values()
        for column in languages.values()
    ]
    pks = [pk for pk in pks if pk is not None]
    if not columns or not pks:
        return {}
    pk_name = model._meta.pk.attname
    return {
        row.pop(pk_name): row
        for row in model._base_manager.filter(pk__in=pks).values(pk_name, *columns)
    }


def _records_q(records: Iterable[models.Model]) -> Q | None:
    ids = defaultdict(set)
    for record in records:
        if record.pk is not None and translation_columns(type(record)):
            ids[ContentType.objects.get_for_model(record)].add(record.pk)
    if not ids:
        return None
    return reduce(
        or_,
        (
            Q(content_type=content_type, object_id__in=sorted(pks))
            for content_type, pks in ids.items()
        ),
    )


def translation_states_to_review(
    records: Iterable[models.Model],
) -> list[TranslationState]:
    """The languages to review of `records` (of any models) in their
    translated fields, in one query, with the users who changed them."""
    condition = _records_q(records)
    if condition is None:
        return []
    states = (
        TranslationState.objects.to_review()
        .filter(condition)
        .select_related("content_type", "review_requested_by")
        .order_by("content_type_id", "object_id", "field", "language")
    )
    # A field no longer translated (its registration changed since) is left out.
    return [
        state for state in states if state.field in translation_columns(state.model)
    ]


def translation_review_counts() -> dict[int, int]:
    """{content type ID: languages to review} over every model, in one query."""
    return dict(
        TranslationState.objects.to_review()
        .order_by()
        .values("content_type_id")
        .annotate(count=Count("pk"))
        .values_list("content_type_id", "count")
    )


def translations_to_review() -> list[TranslationState]:
    """Every language to review, by kind of record, record and field, in one
    query."""
    return list(
        TranslationState.objects.to_review()
        .select_related("content_type")
        .order_by(
            "content_type__app_label",
            "content_type__model",
            "object_id",
            "field",
            "language",
        )
    )


def _text(value) -> str:
    return "" if value is None else str(value)


# Services ---------------------------------------------------------------------------


def translation_changes_record(
    *,
    instance: models.Model,
    before: Mapping[str, object] | None,
    user=None,
) -> list[TranslationState]:
    """Record which languages of `instance`'s translated fields a person
    changed in a save, and mark the other languages of those fields "to
    review" by the rules of this module's docstring.

    `before` holds the translation columns as they were stored before the save
    (translation_values_stored; a column it leaves out did not change), None
    for a record just added. Call it after the save, in its transaction.
    Writes the changed and marked states in one upsert (after one read of the
    record's states); nothing for a model without translations or a save that
    changed no translation. Returns the states written."""
    return translation_changes_record_many(changes=[(instance, before)], user=user)


def translation_changes_record_many(
    *,
    changes: Iterable[tuple[models.Model, Mapping[str, object] | None]],
    user=None,
) -> list[TranslationState]:
    """translation_changes_record for many saves by `user` at once (an
    import's rows): `changes` holds each saved instance with its `before`, in
    the order of the saves (a record saved twice is given twice). One read of
    the records' states and one upsert, whatever their number."""
    changed_saves = []
    for instance, before in changes:
        columns = translation_columns(type(instance))
        changed = {}
        for field, languages in columns.items():
            for language, column in languages.items():
                new = _text(getattr(instance, column))
                if before is None:
                    old = ""
                else:
                    old = _text(before.get(column, new))
                if old != new:
                    changed.setdefault(field, {})[language] = (old, new)
        if changed:
            changed_saves.append(
                (
                    instance,
                    ContentType.objects.get_for_model(instance),
                    columns,
                    changed,
                )
            )
    if not changed_saves:
        return []

    user = user if user is not None and user.is_authenticated else None
    now = timezone.now()
    records = defaultdict(set)
    fields = set()
    for instance, content_type, _columns, changed in changed_saves:
        records[content_type].add(instance.pk)
        fields.update(changed)
    states = {
        (state.content_type_id, state.object_id, state.field, state.language): state
        for state in TranslationState.objects.filter(
            reduce(
                or_,
                (
                    Q(content_type=content_type, object_id__in=sorted(pks))
                    for content_type, pks in records.items()
                ),
            ),
            field__in=fields,
        )
    }

    def state_of(instance, content_type, field, language):
        return states.setdefault(
            (content_type.pk, instance.pk, field, language),
            TranslationState(
                content_type=content_type,
                object_id=instance.pk,
                field=field,
                language=language,
            ),
        )

    written = {}
    for instance, content_type, columns, changed in changed_saves:
        for field, languages in changed.items():
            for language, (old, new) in languages.items():
                state = state_of(instance, content_type, field, language)
                brings_up_to_date = state.needs_review or not old
                state.changed_at, state.changed_by = now, user
                state.needs_review = False
                written[content_type.pk, instance.pk, field, language] = state
                if not new or brings_up_to_date:
                    continue
                for other, column in columns[field].items():
                    if other in languages or not _text(getattr(instance, column)):
                        continue
                    marked = state_of(instance, content_type, field, other)
                    marked.needs_review = True
                    marked.review_source = language
                    marked.review_requested_at = now
                    marked.review_requested_by = user
                    written[content_type.pk, instance.pk, field, other] = marked

    return TranslationState.objects.bulk_create(
        list(written.values()),
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["content_type", "object_id", "field", "language"],
        update_fields=[
            "changed_at",
            "changed_by",
            "needs_review",
            "review_source",
            "review_requested_at",
            "review_requested_by",
        ],
    )


# A confirmation's change reason: a code the history list reads in the
# reader's language (history_admin.change_reason_label).
CONFIRMED_PREFIX = "translation_confirmed:"


def confirmation_reason(state: TranslationState) -> str:
    """What the record's history keeps of a confirmed language."""
    return f"{CONFIRMED_PREFIX}{state.field}:{state.language}"


def confirmed_field(reason: str | None) -> tuple[str, str] | None:
    """(field, language) of a confirmation_reason(), else None."""
    if not reason or not reason.startswith(CONFIRMED_PREFIX):
        return None
    field, _colon, language = reason.removeprefix(CONFIRMED_PREFIX).partition(":")
    return field, language


def translation_review_confirm(*, states: Iterable[TranslationState], user) -> int:
    """Confirm the languages to review among `states` (a person read both
    texts and found this one right): each mark clears, with who and when.

    Side effects: each confirmed language writes an entry in its record's
    history (a change by `user`, with the reason "Translation confirmed").
    States no longer to review (edited or confirmed meanwhile) are left
    alone. Returns how many were confirmed."""
    pks = [state.pk for state in states]
    with transaction.atomic():
        confirmed = list(
            TranslationState.objects.to_review()
            .filter(pk__in=pks)
            .select_for_update(of=("self",))
            .select_related("content_type")
        )
        if not confirmed:
            return 0
        now = timezone.now()
        TranslationState.objects.filter(pk__in=[s.pk for s in confirmed]).update(
            needs_review=False, reviewed_at=now, reviewed_by=user
        )
        by_model = defaultdict(list)
        for state in confirmed:
            if state.model is not None:
                by_model[state.model].append(state)
        for model, model_states in by_model.items():
            records = model._base_manager.in_bulk([s.object_id for s in model_states])
            for state in model_states:
                record = records.get(state.object_id)
                if record is not None:
                    history_note(
                        instance=record, user=user, reason=confirmation_reason(state)
                    )
    return len(confirmed)


def translation_states_forget(sender, instance, **kwargs) -> None:
    """The states of a deleted record go with it (post_delete of every
    translated model: the records' apps know nothing of these states)."""
    TranslationState.objects.filter(
        content_type=ContentType.objects.get_for_model(sender),
        object_id=instance.pk,
    ).delete()
