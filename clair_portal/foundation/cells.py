"""Table cells as SQL expressions: the finished text of a cell, written by
PostgreSQL in the active language, so that a table declared once gives both
its printed page and its CSV file.

Every function returns a Django expression built for the language active
when it is called (labels, date formats and the fallback order of translated
columns are written into it). Text cells are never NULL: an empty cell is ''.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import (
    Case,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .languages import LIST_SEPARATOR, columns_by_preference
from .models import ChineseLocalGovernment, JapaneseLocalGovernment
from .staff_notes import refuse_staff_note

TEXT = models.TextField()

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


def text(value: str | Promise) -> Value:
    return Value(str(value), output_field=TEXT)


def translated(field: str) -> Coalesce:
    """A translated field (a path such as "city__name") in the active
    language, else in its fallbacks, else '' (as modeltranslation reads it).
    Never a note for staff: the cells are printed and downloaded."""
    refuse_staff_note(field)
    return Coalesce(
        *[
            NullIf(F(column), text(""))
            for _language, column in columns_by_preference(field)
        ],
        text(""),
        output_field=TEXT,
    )


def date(field) -> Func:
    """A date (a field's name, or an expression) in the active language's
    DATE_FORMAT (NULL without one)."""
    pattern = to_char_pattern(get_format("DATE_FORMAT"))
    value = F(field) if isinstance(field, str) else field
    return Func(value, text(pattern), function="to_char", output_field=TEXT)


def make_date(year, month: int, day: int) -> Func:
    """The date of `year` (an expression), `month`, `day`."""
    return Func(
        year,
        Value(month),
        Value(day),
        function="make_date",
        output_field=models.DateField(),
    )


def rank(field: str, values) -> Case:
    """The position of the field's value in `values` (to order rows by)."""
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(values)],
        output_field=models.IntegerField(),
    )


def period(start: str, end: str) -> Case:
    """One day, or from one day to another; '' without a start."""
    # Translators: a period of days, e.g. 2018年6月15日～2018年6月17日.
    template = gettext("%(start)s – %(end)s") % {"start": "\0", "end": "\0"}
    before, between, after = template.split("\0")
    return Case(
        When(**{f"{start}__isnull": True}, then=text("")),
        When(Q(**{f"{end}__isnull": True}) | Q(**{end: F(start)}), then=date(start)),
        default=Concat(
            text(before), date(start), text(between), date(end), text(after)
        ),
        output_field=TEXT,
    )


def choice(field: str, choices) -> Case:
    """A choice's label (an unknown value as it is)."""
    return Case(
        *[When(**{field: value}, then=text(label)) for value, label in choices],
        default=Cast(field, TEXT),
        output_field=TEXT,
    )


def _joined(path: str) -> str:
    return f"{path}__" if path else ""


def japanese_name(path: str = "") -> Case:
    """JapaneseLocalGovernment.full_name() of the government at `path` ('' for
    the row's own); '' without one."""
    at = _joined(path)
    name = translated(f"{at}name")
    return Case(
        When(
            Q(**{f"{at}prefecture__isnull": False})
            & ~Q(**{f"{at}kind": JapaneseLocalGovernment.Kind.DESIGNATED_CITY}),
            then=Concat(translated(f"{at}prefecture__name"), name),
        ),
        default=name,
        output_field=TEXT,
    )


def chinese_name(path: str) -> Case:
    """ChineseLocalGovernment.full_name() of the government at `path`; ''
    without one."""
    name = translated(f"{path}__name")
    return Case(
        When(
            **{f"{path}__province__kind": ChineseLocalGovernment.Kind.PROVINCE},
            then=Concat(translated(f"{path}__province__name"), name),
        ),
        default=name,
        output_field=TEXT,
    )


def joined(rows: QuerySet, cell, separator: str = LIST_SEPARATOR) -> Func:
    """The non-empty `cell` of each of `rows` (ordered, with OuterRef to the
    row they belong to), joined with `separator`; '' when there are none."""
    texts = ArraySubquery(
        rows.annotate(cell_text=NullIf(cell, text(""))).values("cell_text")
    )
    return Func(texts, text(separator), function="array_to_string", output_field=TEXT)


def count(rows: QuerySet) -> Subquery:
    """How many `rows` there are (they may hold OuterRef), as a subquery that
    always gives one number."""
    counted = rows.order_by().annotate(
        number=Func(F("pk"), function="COUNT", output_field=models.IntegerField())
    )
    return Subquery(counted.values("number"), output_field=models.IntegerField())


def japanese_names(model: type[models.Model], field_name: str) -> Func:
    """The full names of the Japanese local governments of a many-to-many
    field of `model`, by code, joined with 、."""
    query_name = model._meta.get_field(field_name).related_query_name()
    governments = JapaneseLocalGovernment.objects.filter(
        **{query_name: OuterRef("pk")}
    ).order_by("code")
    return joined(governments, japanese_name())


@dataclass(frozen=True)
class Column:
    """A column of a table: its label and its cell, an expression over the
    table's rows built in the active language (a function, called then)."""

    label: Promise
    cell: object = None  # Callable[[], Expression]
    numeric: bool = False  # a count: right-aligned, 1,435 on a printed page

    def header(self) -> str:
        return capfirst(str(self.label))


def iso_date(field: str) -> Cast:
    """A date as YYYY-MM-DD (as str() writes a date); NULL without one."""
    return Cast(field, TEXT)


FISCAL_YEAR = Column(_("fiscal year"), lambda: F("fiscal_year"))
DATES = Column(_("Dates"), lambda: period("start_date", "end_date"))
START_DATE = Column(_("Start date"), lambda: iso_date("start_date"))
END_DATE = Column(_("End date"), lambda: iso_date("end_date"))


def table_rows(rows: QuerySet, columns: Sequence[Column]) -> Iterator[tuple]:
    """The cells of `columns` for each of `rows` (in their order), in the
    active language, read 500 at a time."""
    names = [f"c{i}" for i in range(len(columns))]
    # modeltranslation's values_list() passes the names through a set.
    rows = rows.rewrite(False) if hasattr(rows, "rewrite") else rows
    cells = rows.annotate(
        **{name: column.cell() for name, column in zip(names, columns, strict=True)}
    )
    return cells.values_list(*names).iterator(chunk_size=500)
