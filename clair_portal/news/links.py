"""A linked record's name and address, as its app declares them to the search."""

from dataclasses import dataclass

from clair_portal.foundation.searchable import search_sources


class _Row(dict):
    """A record's values by lookup (`host__name`), read when asked for, in the
    active language."""

    def __init__(self, record):
        super().__init__()
        self.record = record

    def __missing__(self, lookup):
        value = self.record
        for name in lookup.split("__"):
            value = getattr(value, name, None) if value is not None else None
        self[lookup] = value
        return value


@dataclass(frozen=True)
class LinkedRecord:
    kind: str
    title: str
    url: str


def linked_record(record) -> LinkedRecord | None:
    if record is None:
        return None
    source = search_sources().get(record._meta.label_lower)
    if source is None:
        return LinkedRecord(record._meta.verbose_name, str(record), "")
    row = _Row(record)
    return LinkedRecord(source.kind, str(source.title(row)), source.url(row))
