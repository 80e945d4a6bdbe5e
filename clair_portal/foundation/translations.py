"""Selectors over translated records: which ones still lack a language."""

from functools import reduce
from operator import and_, or_

from django.db import models
from django.db.models import Q
from modeltranslation import settings as mt_settings
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname


def _is_empty(field: models.Field, column: str) -> Q:
    condition = Q(**{f"{column}__isnull": True})
    if field.empty_strings_allowed:
        condition |= Q(**{column: ""})
    return condition


def missing_translation_q(model: type[models.Model]) -> Q:
    """Records of `model` that lack a translation.

    A record lacks one when, for any translated field, one language is filled
    and the other is empty, or when the field is required (blank=False) and
    any language is empty.
    """
    conditions = []
    for name in translator.get_options_for_model(model).all_fields:
        field = model._meta.get_field(name)
        empties = [
            _is_empty(field, build_localized_fieldname(name, language))
            for language in mt_settings.AVAILABLE_LANGUAGES
        ]
        some_empty = reduce(or_, empties)
        if field.blank:
            conditions.append(some_empty & ~reduce(and_, empties))
        else:
            conditions.append(some_empty)
    return reduce(or_, conditions)


def missing_translation_counts() -> list[tuple[type[models.Model], int]]:
    """(model, number of its records lacking a translation), for every
    translated model. One count query per model."""
    return [
        (model, model._default_manager.filter(missing_translation_q(model)).count())
        for model in translator.get_registered_models(abstract=False)
    ]
