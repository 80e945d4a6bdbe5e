"""Keeping the search index: the documents of every registered source.

A record saved or deleted one at a time (the admin, a service) updates its
documents in the same transaction (post_save / post_delete: the search and
the apps must not know each other). An import defers that
(clair_portal.foundation.searchable.search_indexing_deferred): its records
are indexed together once they are written, a read and a write per thousand
rather than five queries each, and not at all in a dry run. Bulk writes send
no signal (loaddata's raw saves, bulk_create, a place renamed that a
seminar's text includes): load_brochures and generate_load_data rebuild the
index at their end, and `manage.py rebuild_search_index` does it by hand.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from clair_portal.foundation.searchable import (
    SearchSource,
    deferred_indexing,
    index_requested,
    search_sources,
)

from .models import SearchDocument
from .text import index_form

CHUNK = 1000


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def documents(source: SearchSource, records) -> Iterator[SearchDocument]:
    """The documents of `records` (a queryset of the source's model): one per
    language in which the record has text."""
    languages = _languages()
    lookups = {language: source.columns(language) for language in languages}
    read = {"pk"}
    for columns in lookups.values():
        read.update(columns.values())
    if source.date:
        read.add(source.date)
    if source.visible_from:
        read.add(source.visible_from)
    for values in records.values(*sorted(read)).iterator(chunk_size=CHUNK):
        date = values.get(source.date) if source.date else None
        if isinstance(date, datetime.datetime):
            date = timezone.localdate(date)
        for language in languages:
            row = {
                lookup: values[column] for lookup, column in lookups[language].items()
            }
            if source.prepare:
                row = source.prepare(row)
            texts = [str(row[lookup]) for lookup in source.fields if row[lookup]]
            if not texts:
                continue
            with translation.override(language):
                title = str(source.title(row))
                url = source.url(row)
            # The title is shown above the snippet: not again in it.
            body = " / ".join(text for text in texts if text != title)
            yield SearchDocument(
                source=source.key,
                object_id=values["pk"],
                language=language,
                title=title,
                body=body,
                url=url,
                date=date,
                visible_from=values.get(source.visible_from)
                if source.visible_from
                else None,
                folded=index_form(f"{title}\n{body}"),
            )


def _write(docs: Iterable[SearchDocument]) -> int:
    batch, written = [], 0
    for doc in docs:
        batch.append(doc)
        if len(batch) == CHUNK:
            SearchDocument.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)
    return written + len(batch)


def index_records(source: SearchSource, pks: Iterable) -> None:
    """Replace the documents of the records `pks` (none for those that may
    not be found): a delete, a read and a write per CHUNK records."""
    pks = sorted(pks)
    with transaction.atomic():
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            SearchDocument.objects.filter(
                source=source.key, object_id__in=chunk
            ).delete()
            _write(documents(source, source.records().filter(pk__in=chunk)))


FIELDS = ("title", "body", "url", "date", "visible_from", "folded")


def rebuild_index() -> int:
    """Make the index hold every source's documents, in one transaction:
    documents that changed are replaced, those of records gone are deleted,
    equal ones are kept (a second run changes nothing). Returns how many
    documents the index holds."""
    with transaction.atomic():
        kept = {
            (source, object_id, language): (pk, values)
            for pk, source, object_id, language, *values in (
                SearchDocument.objects.values_list(
                    "pk", "source", "object_id", "language", *FIELDS
                ).iterator(chunk_size=CHUNK)
            )
        }
        stale, new, total = [], [], 0
        for source in search_sources().values():
            for doc in documents(source, source.records().order_by("pk")):
                total += 1
                key = (doc.source, doc.object_id, doc.language)
                found = kept.pop(key, None)
                if found and found[1] == [getattr(doc, name) for name in FIELDS]:
                    continue
                if found:
                    stale.append(found[0])
                new.append(doc)
        stale += [pk for pk, _values in kept.values()]
        for start in range(0, len(stale), CHUNK):
            SearchDocument.objects.filter(pk__in=stale[start : start + CHUNK]).delete()
        _write(new)
        return total


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: load_brochures rebuilds the index at its end
        return
    deferral = deferred_indexing()
    if deferral is not None:
        deferral.note(sender, instance.pk)
        return
    index_records(search_sources()[sender._meta.label_lower], [instance.pk])


def _index_requested(sender, pks, **kwargs):
    source = search_sources().get(sender._meta.label_lower)
    if source is not None:
        index_records(source, pks)


def _deleted(sender, instance, **kwargs):
    SearchDocument.objects.filter(
        source=sender._meta.label_lower, object_id=instance.pk
    ).delete()


def connect_signals() -> None:
    for source in search_sources().values():
        uid = f"search-index-{source.key}"
        post_save.connect(_saved, sender=source.model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=source.model, dispatch_uid=uid)
    index_requested.connect(_index_requested, dispatch_uid="search-index-requested")
