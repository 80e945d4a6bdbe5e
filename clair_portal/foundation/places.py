"""The official lists of places (fixtures/places/): reading and writing the
files, loading them into the database, and finding a place by part of its
name for the request forms (place_search says how names are compared).

Each file is CSV after a few comment lines (#) that name its source and
date: code, kind, the parent's code, the name in each language, and the
reading in katakana. `refresh_places` writes them from the packages that
carry the lists (place_lists); `load_brochures` loads them.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, models
from django.db.models import Case, IntegerField, Q, Value, When
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname

from .csv_files import line_writer
from .models import ChineseLocalGovernment, JapaneseLocalGovernment, Place
from .place_search import REGION_SEPARATOR, SEPARATOR, clean_query, search_text

PLACES_DIRECTORY = settings.BASE_DIR / "fixtures" / "places"
PLACE_FILES = {
    JapaneseLocalGovernment: "japan.csv",
    ChineseLocalGovernment: "china.csv",
}
# The portal's two languages, Japanese then Chinese (settings.LANGUAGES).
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class ListedPlace:
    """A place as an official list has it."""

    code: str
    kind: str
    parent: str  # the parent's code, "" for none
    japanese: str
    chinese: str
    reading: str = ""  # katakana

    @staticmethod
    def name_columns() -> tuple[str, ...]:
        """The translated name's columns: Japanese, then Chinese."""
        return tuple(build_localized_fieldname("name", code) for code in LANGUAGES)

    def names(self) -> dict[str, str]:
        """The name in each language, by column."""
        return dict(
            zip(self.name_columns(), (self.japanese, self.chinese), strict=True)
        )


def _columns() -> list[str]:
    return ["code", "kind", "parent", *ListedPlace.name_columns(), "reading"]


# The files ---------------------------------------------------------------------------


def read_place_file(path: Path) -> list[ListedPlace]:
    with path.open(encoding="utf-8", newline="") as file:
        lines = (line for line in file if not line.startswith("#"))
        rows = list(csv.DictReader(lines))
    japanese, chinese = ListedPlace.name_columns()
    return [
        ListedPlace(
            code=row["code"],
            kind=row["kind"],
            parent=row["parent"],
            japanese=row[japanese],
            chinese=row[chinese],
            reading=row["reading"],
        )
        for row in rows
    ]


def write_place_file(path: Path, places: Iterable[ListedPlace], comments: list[str]):
    writer = line_writer()
    rows = [
        _columns(),
        *(
            [
                place.code,
                place.kind,
                place.parent,
                *place.names().values(),
                place.reading,
            ]
            for place in places
        ),
    ]
    with path.open("w", encoding="utf-8", newline="") as file:
        for comment in comments:
            file.write(f"# {comment}\n")
        for row in rows:
            # The portal's CSV writer, with the repository's line ends.
            file.write(writer.writerow(row).removesuffix("\r\n") + "\n")


def file_comments(path: Path) -> list[str]:
    """The comment lines at the top of a place file (its source and date)."""
    with path.open(encoding="utf-8") as file:
        return [line[1:].strip() for line in file if line.startswith("#")]


def official_codes(model: type[Place], directory: Path = PLACES_DIRECTORY) -> set[str]:
    return {place.code for place in read_place_file(directory / PLACE_FILES[model])}


# Loading ---------------------------------------------------------------------------


def _upsert(model: type[Place], places: list[ListedPlace], by_code: dict) -> int:
    """Insert `places`, or update the row of their code, in one statement
    from arrays (each parent is looked up by its code, so parents go
    first); a row already as listed is not written. Returns the rows written.

    SQL rather than bulk_create: a model instance each (modeltranslation's
    __init__ included) made loading 2,000 places take a second, and an
    upsert rewrote every row on every load."""
    meta = model._meta
    quote = connection.ops.quote_name
    default_name = build_localized_fieldname("name", mt_settings.DEFAULT_LANGUAGE)
    rows = {
        "code": [place.code for place in places],
        "kind": [place.kind for place in places],
        "reading": [place.reading for place in places],
        "search": [
            search_text(
                list(place.names().values()),
                list(by_code[place.parent].names().values()) if place.parent else (),
                place.reading,
            )
            for place in places
        ],
        **{
            name: [place.names()[name] for place in places]
            for name in ListedPlace.name_columns()
        },
    }
    rows["name"] = rows[default_name]
    columns = {name: quote(meta.get_field(name).column) for name in rows}
    parent = quote(meta.get_field(model.parent_field).column)
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    written = [*columns.values(), parent]
    sql = f"""
        INSERT INTO {table} AS place ({", ".join(written)})
        SELECT {", ".join(f"listed.{c}" for c in columns.values())}, parent.{pk}
        FROM unnest({", ".join(["%s::text[]"] * (len(rows) + 1))})
            AS listed({", ".join(columns.values())}, parent_code)
        LEFT JOIN {table} AS parent ON parent.code = listed.parent_code
        ON CONFLICT (code) DO UPDATE SET
            {", ".join(f"{c} = EXCLUDED.{c}" for c in written)}
        WHERE ({", ".join(f"place.{c}" for c in written)})
            IS DISTINCT FROM ({", ".join(f"EXCLUDED.{c}" for c in written)})
    """
    parents = [place.parent or None for place in places]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*rows.values(), parents])
        return cursor.rowcount


def places_load(directory: Path = PLACES_DIRECTORY) -> dict[type[Place], int]:
    """Load the official lists: add the places that are missing, and give
    those there are the list's names, kind, parent and reading. Places not
    on the lists (added in the admin) are left as they are: `check_data`
    reports them. Returns the number of listed places per model.

    Two statements per list; rows already as listed are not written."""
    counts = {}
    for model, filename in PLACE_FILES.items():
        listed = read_place_file(directory / filename)
        by_code = {place.code: place for place in listed}
        _upsert(model, [place for place in listed if not place.parent], by_code)
        _upsert(model, [place for place in listed if place.parent], by_code)
        counts[model] = len(listed)
    return counts


# Finding ---------------------------------------------------------------------------

# Suggestions and candidates shown at most.
MAX_MATCHES = 10


def _named(query: str) -> Q:
    """Places with a name, or a name after their region's, that is `query`."""
    return Q(search__contains=f"{SEPARATOR}{query}{SEPARATOR}") | Q(
        search__contains=f"{REGION_SEPARATOR}{query}{REGION_SEPARATOR}"
    )


def places_matching(
    queryset: models.QuerySet, text: str, limit: int = MAX_MATCHES
) -> list[Place]:
    """At most `limit` places of `queryset` whose names contain `text`, in
    either language or script: those named `text` first (高山市, or 岐阜県高山市),
    then those whose name starts with it, then those whose name after their
    region's does (大阪府岸和田市 for 大阪), then the rest; regions before the
    places in them, then by code. With their parent, in one query."""
    query = clean_query(text)
    if not query:
        return []
    model = queryset.model
    rank = Case(
        When(_named(query), then=Value(0)),
        When(search__contains=f"{SEPARATOR}{query}", then=Value(1)),
        When(search__contains=f"{REGION_SEPARATOR}{query}", then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    region_first = Case(
        When(**{f"{model.parent_field}__isnull": True}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(
        queryset.filter(search__contains=query)
        .select_related(model.parent_field)
        .annotate(rank=rank, region_first=region_first)
        .order_by("rank", "region_first", "code")[:limit]
    )


def place_exactly_named(queryset: models.QuerySet, text: str) -> list[Place]:
    """The places of `queryset` with a name (or a name with its region) that
    is `text`, in either language or script."""
    query = clean_query(text)
    if not query:
        return []
    return list(
        queryset.filter(_named(query))
        .select_related(queryset.model.parent_field)
        .order_by("code")[: MAX_MATCHES + 1]
    )
