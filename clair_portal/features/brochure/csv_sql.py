"""The export's CSV lines, written by PostgreSQL in one query.

The export writes exactly what the printed brochure shows (sections.py's rows,
formatted by format_cell). Built in Python, from model instances, those rows
took 30 to 40 times as long as PostgreSQL's COPY of the rows they come from
(bench/RESULTS.md). So the export asks PostgreSQL for finished lines: every
section's cells are formatted in SQL (dates in the language's DATE_FORMAT,
periods, place names, lists joined with 、, choice labels, the formula guard,
CSV quoting, CRLF) and come back from one streamed query, section by section,
in the brochure's order.

The query is built once per language, its translated labels written into it;
only the fiscal year is a parameter. tests/brochure/test_csv_sql.py holds
every section's lines equal to those of sections.py's rows, byte for byte,
in both languages: change a row there, change it here.
"""

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import ProgrammingError, connection, models
from django.db.models.expressions import RawSQL
from django.utils import translation
from django.utils.formats import get_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname, resolution_order

from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
    KeyFigure,
    Program,
)
from jet.models import Position
from seminars.models import SeminarOrganiser
from support_requests.models import RequestKind, SupportRequest

from .sections import COUNTED, LIST_SEPARATOR, SECTIONS, YEAR_MODELS, Section

# Django's date format letters and PostgreSQL's to_char patterns for them.
TO_CHAR = {"Y": "YYYY", "y": "YY", "m": "MM", "n": "FMMM", "d": "DD", "j": "FMDD"}


def to_char_pattern(django_format: str) -> str:
    """A to_char() pattern writing dates as Django's `django_format` does:
    only numeric day, month and year letters; the rest is literal text."""
    pattern, characters = [], iter(django_format)
    for character in characters:
        if character == "\\":
            character = next(characters, "")
        elif character in TO_CHAR:
            pattern.append(TO_CHAR[character])
            continue
        elif character.isascii() and character.isalpha():
            raise ValueError(f"Date format letter {character!r} has no SQL form.")
        escaped = character.replace("\\", "\\\\").replace('"', '\\"')
        pattern.append(f'"{escaped}"')
    return "".join(pattern)


class CsvQuery:
    """The SQL of the export in the active language, with its parameters.

    Each method returns an SQL expression. Texts are never NULL: an empty cell
    is ''."""

    def __init__(self):
        self.language = translation.get_language()
        self.params: dict[str, object] = {}
        self.fallbacks = resolution_order(
            self.language, settings.MODELTRANSLATION_FALLBACK_LANGUAGES
        )

    # Values ---------------------------------------------------------------------

    def literal(self, value: str) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = str(value)
        return f"%({name})s::text"

    def translated(self, column: str) -> str:
        """A translated column (alias.field) in the active language, else in
        its fallbacks, else '' (as modeltranslation reads it)."""
        alias, field = column.split(".")
        columns = [
            f"NULLIF({alias}.{build_localized_fieldname(field, code)}, '')"
            for code in self.fallbacks
        ]
        return f"COALESCE({', '.join(columns)}, '')"

    def date(self, column: str) -> str:
        pattern = self.literal(to_char_pattern(get_format("DATE_FORMAT")))
        return f"to_char({column}, {pattern})"

    def period(self, start: str, end: str) -> str:
        """sections.Period: one day, or from one day to another."""
        # Translators' template, split around its two dates.
        template = gettext("%(start)s – %(end)s") % {"start": "\0", "end": "\0"}
        before, between, after = (self.literal(part) for part in template.split("\0"))
        return (
            f"CASE WHEN {start} IS NULL THEN ''"
            f" WHEN {end} IS NULL OR {end} = {start} THEN {self.date(start)}"
            f" ELSE {before} || {self.date(start)} || {between}"
            f" || {self.date(end)} || {after} END"
        )

    def label(self, column: str, choices) -> str:
        """A choice's label (an unknown value as it is)."""
        cases = " ".join(
            f"WHEN {self.literal(value)} THEN {self.literal(label)}"
            for value, label in choices
        )
        return f"CASE {column}::text {cases} ELSE {column}::text END"

    def rank(self, column: str, values) -> str:
        """The position of `column`'s value in `values` (sections._POSITION_ORDER)."""
        cases = " ".join(
            f"WHEN {self.literal(value)} THEN {i}" for i, value in enumerate(values)
        )
        return f"CASE {column}::text {cases} END"

    def joined(self, texts: str, order: str, source: str) -> str:
        """Non-empty `texts` of `source` (FROM ... WHERE ...) joined with 、."""
        separator = self.literal(LIST_SEPARATOR)
        return (
            f"COALESCE((SELECT string_agg(NULLIF({texts}, ''), {separator}"
            f" ORDER BY {order}) FROM {source}), '')"
        )

    # Places ---------------------------------------------------------------------

    def japanese_name(self, place: str, prefecture: str) -> str:
        """JapaneseLocalGovernment.full_name() of two joined aliases."""
        designated = self.literal(JapaneseLocalGovernment.Kind.DESIGNATED_CITY)
        name = self.translated(f"{place}.name")
        return (
            f"CASE WHEN {place}.prefecture_id IS NOT NULL"
            f" AND {place}.kind <> {designated}"
            f" THEN {self.translated(f'{prefecture}.name')} || {name} ELSE {name} END"
        )

    def japanese_place(self, place_id: str) -> str:
        return (
            f"(SELECT {self.japanese_name('g', 'gp')}"
            " FROM clair_portal_japaneselocalgovernment g"
            " LEFT JOIN clair_portal_japaneselocalgovernment gp"
            f" ON gp.id = g.prefecture_id WHERE g.id = {place_id})"
        )

    def japanese_places(self, model, field_name: str, owner_id: str) -> str:
        """The full names of a many-to-many field's governments, by code
        (sections._place_ids and BrochureYear.place_names)."""
        field = model._meta.get_field(field_name)
        through = field.remote_field.through._meta.db_table
        return self.joined(
            self.japanese_name("g", "gp"),
            "g.code",
            f"{through} t JOIN clair_portal_japaneselocalgovernment g"
            f" ON g.id = t.{field.m2m_reverse_name()}"
            " LEFT JOIN clair_portal_japaneselocalgovernment gp"
            f" ON gp.id = g.prefecture_id WHERE t.{field.m2m_column_name()} = {owner_id}",
        )

    def chinese_place(self, place_id: str) -> str:
        """ChineseLocalGovernment.full_name(), '' without a place."""
        name = self.translated("c.name")
        province = self.literal(ChineseLocalGovernment.Kind.PROVINCE)
        return (
            f"COALESCE((SELECT CASE WHEN v.kind = {province}"
            f" THEN {self.translated('v.name')} || {name} ELSE {name} END"
            " FROM clair_portal_chineselocalgovernment c"
            " LEFT JOIN clair_portal_chineselocalgovernment v"
            f" ON v.id = c.province_id WHERE c.id = {place_id}), '')"
        )

    # Lines ----------------------------------------------------------------------

    @staticmethod
    def number(expression: str) -> "Cell":
        return Cell(f"({expression})::text", text=False)

    @staticmethod
    def text(expression: str) -> "Cell":
        return Cell(expression, text=True)


@dataclass(frozen=True)
class Cell:
    """A cell's SQL expression; `text` for text (numbers need no quoting and
    are never taken for formulas)."""

    expression: str
    text: bool

    @staticmethod
    def field(column: str, *, text: bool) -> str:
        """The CSV field of a column holding the cell's value, as Python's
        csv.writer writes it: text that a spreadsheet would run as a formula
        gets a leading ' first, then a field with a comma, a quote or a line
        break is quoted."""
        if not text:
            return column
        guarded = (
            f"CASE WHEN left({column}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r')"
            f" THEN '''' || {column} ELSE {column} END"
        )
        return (
            f"CASE WHEN {column} ~ '[\",\\r\\n]'"
            f" THEN '\"' || replace({guarded}, '\"', '\"\"') || '\"'"
            f" ELSE {guarded} END"
        )


def section_select(number: int, cells: list[Cell], source: str, order: str) -> str:
    """One section's (section, n, line) rows. The cells are computed in a
    subquery that the planner keeps (OFFSET 0): quoting reads each cell
    several times, and must not compute it several times."""
    values = ", ".join(
        f"COALESCE({cell.expression}, '') AS c{i}" for i, cell in enumerate(cells)
    )
    fields = ", ".join(
        Cell.field(f"r.c{i}", text=cell.text) for i, cell in enumerate(cells)
    )
    return (
        f"SELECT {number} AS section, r.n, concat_ws(',', {fields}) || E'\\r\\n'"
        f" AS line FROM (SELECT row_number() OVER (ORDER BY {order}) AS n, {values}"
        f" FROM {source} OFFSET 0) r"
    )


def declared_select(number: int, section: Section) -> str:
    """A declared section's (section, n, line) rows: its cells, compiled by
    the ORM with the year as the function's argument ($1), made CSV fields
    here. The cells are computed in a subquery that the planner keeps
    (OFFSET 0): quoting reads each cell several times, and must not compute
    it several times."""
    fiscal_year = RawSQL("$1", (), output_field=models.IntegerField())
    names = [f"c{i}" for i in range(len(section.columns))]
    rows = section.cells(fiscal_year).values_list("n", *names)
    sql, params = rows.query.sql_with_params()
    # Inlined, then escaped for the composition of the whole query.
    inner = connection.ops.compose_sql(sql, params).replace("%", "%%")
    fields = ", ".join(
        Cell.field(f"COALESCE(r.{name}::text, '')", text=not column.numeric)
        for name, column in zip(names, section.columns, strict=True)
    )
    return (
        f"SELECT {number} AS section, r.n, concat_ws(',', {fields}) || E'\\r\\n'"
        f" AS line FROM ({inner} OFFSET 0) r"
    )


# Sections ------------------------------------------------------------------------------
# Each function returns (cells, FROM ... [WHERE ...], ORDER BY ...) for one
# section, as sections.py's records() and row() define it. %(fy)s is the
# year; the tables of common_tables() hold what several sections share.


def of_the_year(model) -> str:
    """The model's records of the year, as x."""
    return f"{model._meta.db_table} x WHERE x.fiscal_year = %(fy)s"


def common_tables(q: CsvQuery) -> str:
    """The WITH list: the edition that reports the year
    (sections.reporting_edition), the JET figures it publishes
    (sections.published_jet_figures) and the support counts
    (sections.support_counts_of)."""
    kinds = ", ".join(
        f"({q.literal(kind)}, {i})" for i, kind in enumerate(RequestKind.values)
    )
    return f"""
    edition AS (SELECT id FROM clair_portal_brochureedition
        ORDER BY year <= %(fy)s + 1 DESC,
            CASE WHEN year <= %(fy)s + 1 THEN -year ELSE year END LIMIT 1),
    jet_candidates AS (SELECT f.*, e.year AS edition_year FROM jet_jetfigure f
        JOIN clair_portal_brochureedition e ON e.id = f.edition_id
        WHERE e.year = %(fy)s + 1 OR f.fiscal_year = %(fy)s),
    jet AS (SELECT * FROM jet_candidates WHERE edition_year = %(fy)s + 1
        OR (NOT EXISTS (SELECT FROM jet_candidates WHERE edition_year = %(fy)s + 1)
            AND fiscal_year = %(fy)s
            AND edition_id = (SELECT edition_id FROM jet_candidates
                WHERE fiscal_year = %(fy)s ORDER BY edition_year DESC LIMIT 1))),
    support AS (SELECT k.kind, k.rank, f.count AS published, f.id IS NOT NULL
            AS has_published, COALESCE(r.n, 0) AS received
        FROM (VALUES {kinds}) k(kind, rank)
        LEFT JOIN support_requests_supportyearlyfigure f
            ON f.kind = k.kind AND f.fiscal_year = %(fy)s
        LEFT JOIN (SELECT kind, count(*) AS n FROM support_requests_supportrequest
            WHERE fiscal_year = %(fy)s GROUP BY kind) r ON r.kind = k.kind
        WHERE f.id IS NOT NULL OR r.n > 0)"""


def summary(q: CsvQuery):
    """sections.headline_figures: published figures (the JET total among
    them), then what the year's records count."""
    Metric = KeyFigure.Metric
    year_end = "make_date(%(fy)s + 1, 3, 31)"  # fiscal_year_bounds()
    requests = capfirst(SupportRequest._meta.verbose_name_plural)
    parts = [
        # Every metric, in Metric's order, as headline_figures adds them.
        f"""SELECT 10 * {q.rank("k.metric", Metric.values)} AS rank,
            {q.label("k.metric", Metric.choices)} AS label, k.value AS value,
            NULL::int AS fiscal_year, k.as_of AS as_of,
            {q.translated("e.title")} AS edition, {q.translated("k.note")} AS note
        FROM clair_portal_keyfigure k
        JOIN clair_portal_brochureedition e ON e.id = k.edition_id
        WHERE k.edition_id = (SELECT id FROM edition)""",
        # After the offices in China (rank 10).
        f"""SELECT 15, {q.literal(gettext("JET participants from China"))},
            j.cumulative, NULL, make_date(j.fiscal_year, 4, 1),
            {q.translated("e.title")}, ''
        FROM (SELECT * FROM jet
            WHERE position = {q.literal(Position.TOTAL)} AND cumulative IS NOT NULL
            ORDER BY edition_year DESC, fiscal_year DESC LIMIT 1) j
        JOIN clair_portal_brochureedition e ON e.id = j.edition_id""",
        f"""SELECT 100, {q.literal(Program.SEMINARS.label)},
            (SELECT count(*) FROM seminars_seminar WHERE fiscal_year <= %(fy)s),
            NULL, {year_end}, '', ''""",
        f"""SELECT 200 + 2 * rank, {q.label("kind", RequestKind.choices)}, published,
            %(fy)s, {year_end}, '', '' FROM support WHERE has_published""",
        f"""SELECT 201 + 2 * rank,
            {q.label("kind", [(k, f"{requests}（{label}）") for k, label in RequestKind.choices])},
            received, %(fy)s, {year_end}, '', '' FROM support WHERE received > 0""",
    ]
    for i, (_key, model, _to_date) in enumerate(COUNTED[1:]):
        parts.append(
            f"""SELECT {300 + i},
                {q.literal(capfirst(model._meta.verbose_name_plural))}, n, %(fy)s,
                {year_end}, '', ''
            FROM (SELECT count(*) AS n FROM {model._meta.db_table}
                WHERE fiscal_year = %(fy)s) c WHERE n > 0"""
        )
    cells = [
        q.text("s.label"),
        q.number("s.value"),
        q.number("s.fiscal_year"),
        q.text(q.date("s.as_of")),
        q.text("s.edition"),
        q.text("s.note"),
    ]
    source = "(" + " UNION ALL ".join(f"({part})" for part in parts) + ") s"
    return cells, source, "s.rank"


def seminar_of_the_year(q: CsvQuery):
    def names(role):
        return q.joined(
            q.translated("o.name"),
            "o.position, o.id",
            "seminars_seminarorganiser o"
            f" WHERE o.seminar_id = s.id AND o.role = {q.literal(role)}",
        )

    Role = SeminarOrganiser.Role
    day = f"{q.date('d.date')} || '：' || {q.translated('d.description')}"
    programme = (
        f"COALESCE((SELECT string_agg({day}, E'\\n' ORDER BY d.date, d.id)"
        " FROM seminars_seminarprogrammeday d WHERE d.seminar_id = s.id), '')"
    )
    cells = [
        q.number("s.edition"),
        q.number("s.fiscal_year"),
        q.text(q.period("s.start_date", "s.end_date")),
        q.text(q.chinese_place("s.host_city_id")),
        q.text(q.translated("s.theme")),
        *(
            q.text(names(role))
            for role in (Role.ORGANISER, Role.CO_ORGANISER, Role.HOST, Role.SUPPORTER)
        ),
        q.number("s.participants_japan"),
        q.number("s.participants_china"),
        q.number("s.participants_japan + s.participants_china"),
        q.text(programme),
    ]
    source = """(SELECT * FROM seminars_seminar WHERE fiscal_year <= %(fy)s
        ORDER BY edition DESC LIMIT 1) s"""
    return cells, source, "s.edition"


def support_figures(q: CsvQuery):
    cells = [
        q.number("%(fy)s"),
        q.text(q.label("s.kind", RequestKind.choices)),
        q.number("s.published"),
        q.number("s.received"),
    ]
    return cells, "support s", "s.rank"


def jet_figures(q: CsvQuery):
    cells = [
        q.text(q.translated("e.title")),
        q.number("f.fiscal_year"),
        q.text(q.label("f.position", Position.choices)),
        q.number("f.serving"),
        q.number("f.new"),
        q.number("f.cumulative"),
    ]
    source = "jet f JOIN clair_portal_brochureedition e ON e.id = f.edition_id"
    order = f"e.year DESC, f.fiscal_year DESC, {q.rank('f.position', Position.values)}"
    return cells, source, order


def jet_placements(q: CsvQuery):
    cells = [
        q.number("p.fiscal_year"),
        q.text(q.label("p.position", Position.choices)),
        q.text(q.translated("p.placement")),
        q.number("p.count"),
    ]
    source = """jet_jetplacement p WHERE (p.edition_id, p.fiscal_year) IN
        (SELECT edition_id, fiscal_year FROM jet)"""
    order = (
        f"p.fiscal_year DESC, {q.rank('p.position', Position.values)},"
        " p.sort_order, p.id"
    )
    return cells, source, order


SECTION_SQL = {
    "summary": summary,
    "seminar_of_the_year": seminar_of_the_year,
    "support_figures": support_figures,
    "jet_figures": jet_figures,
    "jet_placements": jet_placements,
}


def has_data_sql() -> str:
    """Whether the year has records (sections.available_fiscal_years), as a
    one-row table: each section's query reads it rather than repeating it."""
    return (
        "SELECT "
        + " OR ".join(
            f"EXISTS (SELECT 1 FROM {model._meta.db_table} WHERE fiscal_year = %(fy)s)"
            for model in YEAR_MODELS
        )
        + " AS yes"
    )


def lines_query(language: str) -> tuple[str, dict]:
    """The SQL giving (section number in SECTIONS, n, CSV line) for the year
    %(fy)s, every row of every section, n its rank in the section; and the
    parameters other than the year."""
    with translation.override(language):
        q = CsvQuery()
        selects = [
            declared_select(number, section)
            if section.declared
            else section_select(number, *SECTION_SQL[section.name](q))
            for number, section in enumerate(SECTIONS)
        ]
        union = "\nUNION ALL\n".join(f"({select})" for select in selects)
        sql = (
            f"WITH {common_tables(q)}, has_data AS ({has_data_sql()})"
            f" SELECT section, n, line FROM ({union}) lines"
            " WHERE (SELECT yes FROM has_data)"
        )
        return sql, q.params


# The query is long: PostgreSQL takes longer to plan it than to run it. A
# PL/pgSQL function keeps its plan for the session, so the query lives in one,
# created in the connection's temporary schema (pg_temp) on first use: built
# from this code and the loaded catalogs, it cannot outlive them.


@functools.cache
def _function(language: str) -> tuple[str, str]:
    """The function's name (the definition's hash in it) and definition."""
    sql, params = lines_query(language)
    # The year is the function's argument; every other value is inlined.
    body = connection.ops.compose_sql(sql.replace("%(fy)s", "$1"), params)
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
