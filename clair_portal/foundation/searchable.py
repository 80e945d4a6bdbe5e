"""What each app contributes to the site's search: its sources.

An app declares, in its own `search.py`, the records visitors may find
(`register_search_source(SearchSource(...))`), as pretalx's apps register
their exporters. This module imports no app; the search (a feature over every
program, clair_portal/features/search) reads the declarations and keeps its
index from them, and never reads a program's tables otherwise.

A bulk write (an import of thousands of rows) defers the index's upkeep
(`search_indexing_deferred`): the search then notes each record saved rather
than indexing it, and indexes them all at once when the writer asks.
"""

import contextlib
import functools
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from django.dispatch import Signal
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


# Deferred indexing ------------------------------------------------------------------

#: Sent by DeferredIndexing.index() once per model (`sender`), with the
#: primary keys of its records saved while indexing was deferred (`pks`).
#: The search connects it: it indexes those records in bulk.
index_requested = Signal()


class DeferredIndexing:
    """The records saved while the search's indexing is deferred, by model."""

    def __init__(self):
        self._saved: dict[type[models.Model], set] = defaultdict(set)

    def note(self, model: type[models.Model], pk) -> None:
        self._saved[model].add(pk)

    def index(self) -> None:
        """Have the records noted indexed now, in bulk and in the caller's
        transaction (index_requested), and forget them."""
        saved, self._saved = self._saved, defaultdict(set)
        for model, pks in saved.items():
            index_requested.send(sender=model, pks=pks)


_deferred: ContextVar[DeferredIndexing | None] = ContextVar(
    "deferred_indexing", default=None
)


def deferred_indexing() -> DeferredIndexing | None:
    """The deferral in force (search_indexing_deferred), if any."""
    return _deferred.get()


@contextlib.contextmanager
def search_indexing_deferred() -> Iterator[DeferredIndexing]:
    """Within it, a record saved is noted in the DeferredIndexing it yields
    instead of being indexed at once: call its `index()` when the records are
    written, or leave it when they are rolled back (a dry run): what was not
    indexed is forgotten at the end. A record deleted leaves the index at
    once, as always."""
    deferral = DeferredIndexing()
    token = _deferred.set(deferral)
    try:
        yield deferral
    finally:
        _deferred.reset(token)
