"""What each app contributes to the site's search: its sources.

An app declares, in its own `search.py`, the records visitors may find
(`register_search_source(SearchSource(...))`), as pretalx's apps register
their exporters. This module imports no app; the search (a feature over every
program, clair_portal/features/search) reads the declarations and keeps its
index from them, and never reads a program's tables otherwise.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.module_loading import autodiscover_modules
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

_SOURCES: dict[str, "SearchSource"] = {}


@dataclass(frozen=True)
class SearchSource:
    """Records of one model that the search finds.

    - `fields`: lookups (`theme`, `host_city__name`) whose text is searched
      and shown in the result's snippet; a translated field is read in each
      language, never through modeltranslation's fallback, so a record is
      found in a language only by the text it has in it.
    - `title(row)` and `url(row)`: called in each language (the language
      active), with `row` holding the values of `fields` and `extra` (lookups
      the title and address need: an edition number, the primary key).
    - `date`: a lookup of the record's date, shown and used to order results.
    - `queryset()`: the records that may be found at all (drafts and
      staff-only records left out); default every record.
    - `visible_from`: a lookup of the moment before which the record is not
      found (news published at a set time).
    - `prepare(row)`: the row with its values as plain text (markup removed).
    """

    model: type[models.Model]
    kind: str
    fields: tuple[str, ...]
    title: Callable[[dict], str]
    url: Callable[[dict], str]
    extra: tuple[str, ...] = ()
    date: str | None = None
    queryset: Callable[[], models.QuerySet] | None = None
    visible_from: str | None = None
    # Turns a row's values into plain text before it is indexed (markup
    # removed from a news text).
    prepare: Callable[[dict], dict] | None = None

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    def records(self) -> models.QuerySet:
        if self.queryset is not None:
            return self.queryset()
        return self.model._default_manager.all()

    def columns(self, language: str) -> dict[str, str]:
        """{lookup: the column path to read in `language`}."""
        return {
            lookup: localized_lookup(self.model, lookup, language)
            for lookup in (*self.fields, *self.extra)
        }


def localized_lookup(model: type[models.Model], lookup: str, language: str) -> str:
    """`host_city__name` -> `host_city__name_ja` when the last field is
    translated; other lookups unchanged."""
    *path, name = lookup.split("__")
    target = model
    for step in path:
        target = target._meta.get_field(step).related_model
    try:
        translated = translator.get_options_for_model(target).all_fields
    except NotRegistered:
        translated = ()
    if name in translated:
        name = build_localized_fieldname(name, language)
    return "__".join([*path, name])


def register_search_source(source: SearchSource) -> SearchSource:
    _SOURCES[source.key] = source
    return source


@functools.cache
def search_sources() -> dict[str, SearchSource]:
    """{model label: source} of every app, its `search.py` imported once."""
    autodiscover_modules("search")
    return dict(_SOURCES)
