"""The audit trail: who changed a record, when, and what (django-simple-history).

Each app registers its models from its translation.py, after modeltranslation
has registered them: a historical model copies the columns its model has when
it is created, and the `_ja` / `_zh_hans` columns exist only from the
translation registration on (`HistoricalRecords()` in the model class would
be built before them, without the translations).

The historical tables keep the `_ja` and `_zh_hans` columns, not the bare
translated field: that one reads as the active language's value, so two saves
of the same text in a Japanese and a Chinese admin session would look like a
change. Many-to-many links are not tracked.

Saves by loaddata (raw saves) write no history; load_brochures then gives each
record without history a first one (record_missing_history), so that the
first edit in the admin shows what it changed.
"""

import simple_history
from modeltranslation.translator import NotRegistered, translator

TRACKED_MODELS = []


def track_history(*models):
    """Give each model a historical table and a `history` manager."""
    for model in models:
        try:
            translated = list(translator.get_options_for_model(model).all_fields)
        except NotRegistered:
            translated = []
        # untracked_fields: columns derived from others (a place's search text).
        untracked = list(getattr(model, "untracked_fields", ()))
        simple_history.register(model, excluded_fields=[*translated, *untracked])
        TRACKED_MODELS.append(model)


def record_missing_history(*, reason: str) -> int:
    """Write a first historical record (created, by no user, with `reason`) for
    every tracked record that has none; return how many. Idempotent: a record
    with history is left alone."""
    written = 0
    for model in TRACKED_MODELS:
        pk = model._meta.pk.attname
        recorded = model.history.model.objects.values(pk)
        missing = model._default_manager.exclude(pk__in=recorded).order_by(pk)
        written += len(
            model.history.bulk_history_create(
                missing, batch_size=500, default_change_reason=reason
            )
        )
    return written


def history_note(*, instance, user, reason: str) -> None:
    """Write a history entry for `instance` as it stands (a change by `user`,
    with `reason`), without saving it: for what happens to a record outside
    its own columns, such as a translation confirmed. Nothing for a model
    without history."""
    model = type(instance)
    if model not in TRACKED_MODELS:
        return
    history_model = model.history.model
    max_length = history_model._meta.get_field("history_change_reason").max_length
    model.history.bulk_history_create(
        [instance],
        update=True,
        default_user=user,
        default_change_reason=reason[:max_length],
    )
