"""The export's CSV lines, written by PostgreSQL in one query.

The export writes exactly what the printed brochure shows: each section's
declared cells (sections.py), compiled by the ORM for the export's language.
Built in Python, from model instances, those rows took 30 to 40 times as
long as PostgreSQL's COPY of the rows they come from (bench/RESULTS.md). So
the export asks PostgreSQL for finished lines: the cells, the formula guard,
CSV quoting and CRLF, from one streamed query, section by section, in the
brochure's order. Only the fiscal year is a parameter.
"""

import functools
import hashlib
from collections.abc import Iterator

from django.core.exceptions import ImproperlyConfigured
from django.db import ProgrammingError, connection, models
from django.db.models.expressions import RawSQL
from django.utils import translation

from clair_portal.foundation.csv_files import (
    FORMULA_ESCAPE,
    FORMULA_PREFIXES,
    PLAIN_NUMBER,
)

from .sections import SECTIONS, YEAR_MODELS, Section


def sql_text(value: str) -> str:
    """`value` as an SQL string constant (E'...', any character escaped)."""
    escaped = value.encode("unicode_escape").decode().replace("'", "\\'")
    return f"E'{escaped}'"


def csv_field(column: str, *, text: bool) -> str:
    """The CSV field of a column holding a cell, as Python's csv.writer writes
    csv_files.escape_formula(cell): text that a spreadsheet would run as a
    formula (or that starts with the escape) gets the escape first, unless it
    is a plain number; then a field with a comma, a quote or a line break is
    quoted. Numbers need neither."""
    if not text:
        return column
    starts = ", ".join(sql_text(start) for start in (*FORMULA_PREFIXES, FORMULA_ESCAPE))
    escape = sql_text(FORMULA_ESCAPE)
    number = sql_text(f"^(?:{PLAIN_NUMBER.pattern})$")
    guarded = (
        f"CASE WHEN left({column}, 1) IN ({starts}) AND {column} !~ {number}"
        f" THEN {escape} || {column} ELSE {column} END"
    )
    return (
        f"CASE WHEN {column} ~ '[\",\\r\\n]'"
        f" THEN '\"' || replace({guarded}, '\"', '\"\"') || '\"'"
        f" ELSE {guarded} END"
    )


def section_select(number: int, section: Section) -> str:
    """A section's (section, n, line) rows: its cells, compiled by the ORM
    with the year as the function's argument ($1), made CSV fields here. The
    cells are computed in a subquery that the planner keeps (OFFSET 0):
    quoting reads each cell several times, and must not compute it several
    times."""
    fiscal_year = RawSQL("$1", (), output_field=models.IntegerField())
    names = [f"c{i}" for i in range(len(section.columns))]
    parts = []
    for _part, rows in section.cells(fiscal_year):
        sql, params = rows.values_list("n", *names).query.sql_with_params()
        # Inlined: the function takes no other parameter.
        parts.append(f"({connection.ops.compose_sql(sql, params)})")
    inner = " UNION ALL ".join(parts)
    fields = ", ".join(
        csv_field(f"COALESCE(r.{name}::text, '')", text=not column.numeric)
        for name, column in zip(names, section.columns, strict=True)
    )
    return (
        f"SELECT {number} AS section, r.n::bigint AS n,"
        f" concat_ws(',', {fields}) || E'\\r\\n' AS line"
        f" FROM ({inner} OFFSET 0) r"
    )


def has_data_sql() -> str:
    """Whether the year has records (sections.available_fiscal_years), as a
    one-row table: each section's query reads it rather than repeating it."""
    return (
        "SELECT "
        + " OR ".join(
            f"EXISTS (SELECT 1 FROM {model._meta.db_table} WHERE fiscal_year = $1)"
            for model in YEAR_MODELS
        )
        + " AS yes"
    )


def lines_query(language: str) -> str:
    """The SQL giving (section number in SECTIONS, n, CSV line) for the year
    $1, every row of every section, n its rank in the section."""
    with translation.override(language):
        selects = [
            section_select(number, section) for number, section in enumerate(SECTIONS)
        ]
    union = "\nUNION ALL\n".join(f"({select})" for select in selects)
    return (
        f"WITH has_data AS ({has_data_sql()})"
        f" SELECT section, n, line FROM ({union}) lines"
        " WHERE (SELECT yes FROM has_data)"
    )


# The query is long: PostgreSQL takes longer to plan it than to run it. A
# PL/pgSQL function keeps its plan for the session, so the query lives in one,
# created in the connection's temporary schema (pg_temp) on first use: built
# from this code and the loaded catalogs, it cannot outlive them.


@functools.cache
def _function(language: str) -> tuple[str, str]:
    """The function's name (the definition's hash in it) and definition."""
    body = lines_query(language)
    tag = "$brochure_csv$"
    if tag in body:
        raise ValueError(f"The export's SQL holds {tag}.")
    digest = hashlib.sha256(body.encode()).hexdigest()[:12]
    name = f"brochure_csv_{language.replace('-', '_')}_{digest}"
    definition = (
        f"CREATE FUNCTION pg_temp.{name}(integer)"
        " RETURNS TABLE (section_number integer, row_number bigint, csv_line text)"
        # Generic plan: the year changes nothing that the plan depends on.
        " LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan"
        f" AS {tag} BEGIN RETURN QUERY {body}; END {tag}"
    )
    return name, definition


def prepare_query(language: str) -> str:
    """The name of the function holding the query, created if this session
    has none yet. Raises ImproperlyConfigured when the database refuses it."""
    name, definition = _function(language)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regprocedure(%s) IS NULL", [f"pg_temp.{name}(integer)"]
        )
        if cursor.fetchone()[0]:
            try:
                cursor.execute(definition)
            except ProgrammingError as error:
                raise ImproperlyConfigured(
                    "The brochure export keeps its query in a temporary function:"
                    " the database user needs the TEMPORARY privilege on the"
                    f" database. PostgreSQL said: {str(error).strip()}"
                ) from error
    return name


def stream_lines(
    fiscal_year: int, language: str, chunk_size: int
) -> Iterator[tuple[int, str]]:
    """(section number in SECTIONS, CSV line) of every row of the year, in
    order, fetched `chunk_size` at a time."""
    name = prepare_query(language)
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            "SELECT section_number, csv_line"
            f" FROM pg_temp.{name}(%s) ORDER BY section_number, row_number",
            [int(fiscal_year)],
        )
        while rows := cursor.fetchmany(chunk_size):
            yield from rows
