"""The printed brochure of a fiscal year: the sections' tables (the same rows
as the CSV export) with their photos, and the office's pages around them.

The page reads all of it in a constant number of queries whatever the data:
every section's rows come together in one (`section_rows`), the office's
pages and the photos in one small query each."""

import functools
import html
import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Func, JSONField, Q, QuerySet, Subquery, Value
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_translation_fields

from clair_portal.foundation.compiled_sql import Compiled, compile_query, fetch
from clair_portal.foundation.models import (
    BrochureEdition,
    Greeting,
    OfficeContact,
    Photo,
    Program,
    ProgramIntro,
    StaffMember,
)
from support_requests.models import SupportService

from .sections import (
    SECTIONS,
    Section,
    available_fiscal_years,
    format_cell,
    reporting_edition_query,
)


@dataclass(frozen=True)
class PrintedPhoto:
    caption: str
    url: str | None  # None: the brochure's photo is not scanned yet


def printed_photo(photo: Photo) -> PrintedPhoto:
    """The thumbnail is made when the photo is saved, never on a view: one
    lost since (media restored without it) prints the caption alone, rather
    than a broken image in the PDF."""
    url = None
    if photo.image:
        thumbnail = photo.thumbnail
        try:
            if thumbnail.storage.exists(thumbnail.name):
                url = thumbnail.url
        except (OSError, ValueError):
            url = None
    return PrintedPhoto(photo.caption, url)


# Every section's rows in one query ---------------------------------------------------


class _JSONArray(Func):
    """A row's values by position, 100 at most (PostgreSQL's limit of
    arguments). JSONObject would add a key to each value: twice the
    expressions to compile, and the page has hundreds."""

    function = "JSONB_BUILD_ARRAY"
    output_field = JSONField()


@dataclass(frozen=True)
class Row:
    """A row of a section as the page reads it: the part of the section it
    comes from, its record's id, its key and its cells."""

    part: int
    record: int | None
    key: str
    cells: list


# A year no record has, compiled into the query as a parameter and replaced
# by the page's year when it runs.
_ANY_YEAR = -271_828


@functools.cache
def _section_rows_sql(language: str) -> Compiled:
    """The query of every section's rows in `language`, compiled once per
    process: building and compiling the sections' hundreds of expressions
    took 60 % of the page's time at scale 100, and they depend on nothing but
    the declarations and the language (the export compiles them once too)."""
    with translation.override(language):
        year = Value(_ANY_YEAR)
        parts = []
        for section in SECTIONS:
            names = [F(f"c{i}") for i in range(len(section.columns))]
            for number, (_part, rows) in enumerate(section.cells(year)):
                parts.append(
                    rows.annotate(
                        section=Value(section.name),
                        row=_JSONArray(Value(number), F("record"), F("key"), *names),
                    ).values_list("section", "n", "row")
                )
        first, *others = parts
        union = first.union(*others, all=True).order_by("section", "n")
        return compile_query(union, _ANY_YEAR)


def section_rows(fiscal_year: int) -> dict[str, list[Row]]:
    """Every section's rows for the year, by section, in their order, in one
    query (a UNION ALL of every section's parts)."""
    compiled = _section_rows_sql(translation.get_language())
    by_section = {section.name: [] for section in SECTIONS}
    for name, _n, row in fetch(compiled, {_ANY_YEAR: fiscal_year}):
        part, record, key, *cells = json.loads(row)
        by_section[name].append(Row(part, record, key, cells))
    return by_section


# Photos --------------------------------------------------------------------------------


PhotoSources = list[tuple[type[models.Model], QuerySet | list[int]]]


def photos_query(sources: PhotoSources) -> QuerySet[Photo]:
    """The photos of records of several kinds: `sources` gives, per model, the
    ids of its records (a list, or a query of them, run inside this one)."""
    content_types = ContentType.objects.get_for_models(
        *(model for model, _ids in sources)
    )
    condition = reduce(
        or_,
        [
            Q(content_type=content_types[model], object_id__in=ids)
            for model, ids in sources
        ],
        Q(pk__in=[]),
    )
    return (
        Photo.objects.shown()
        .filter(condition)
        .order_by("content_type", "object_id", "position", "pk")
    )


def photos_by_subject(
    photos: Iterable[Photo],
) -> dict[tuple[int, int], list[PrintedPhoto]]:
    """Photos by (content type id, record id), in their order."""
    by_subject = defaultdict(list)
    for photo in photos:
        by_subject[photo.content_type_id, photo.object_id].append(printed_photo(photo))
    return by_subject


def _key(subject) -> tuple[int, int] | None:
    if subject is None:
        return None
    content_type = ContentType.objects.get_for_model(subject)
    return (content_type.pk, subject.pk)


@dataclass
class Table:
    """A section as the page prints it: formatted cells, then the photos."""

    section: Section
    columns: list[tuple[str, bool]]  # (header, numeric)
    rows: list[list[str]]
    photos: list[PrintedPhoto]

    @property
    def name(self) -> str:
        return self.section.name

    @property
    def anchor(self) -> str:
        return f"table-{self.section.name}"

    @property
    def title(self) -> str:
        return self.section.display_title()

    @property
    def body_html(self) -> SafeString:
        """The table's rows as HTML, each value escaped with its line breaks
        kept (as |linebreaksbr). Written here rather than in the template: its
        loop, test and filter per cell were a fifth of the printed page at
        scale 100."""
        starts = [
            '<td class="number">' if numeric else "<td>" for _, numeric in self.columns
        ]
        return mark_safe(
            "\n".join(
                "<tr>"
                + "".join(
                    start + _cell_html(value) + "</td>"
                    for start, value in zip(starts, row, strict=True)
                )
                + "</tr>"
                for row in self.rows
            )
        )

    @property
    def column_widths(self) -> list[int]:
        """Each column's printed width, in percent (print_column_widths)."""
        return print_column_widths(
            [header for header, _numeric in self.columns], self.rows
        )

    @property
    def fields(self) -> list[list[tuple[str, str]]]:
        """For a "record" layout: per record, (header, value) of its filled
        cells."""
        return [
            [
                (header, value)
                for (header, _numeric), value in zip(self.columns, row, strict=True)
                if value
            ]
            for row in self.rows
        ]

    def __bool__(self):
        return bool(self.rows)


def section_table(
    section: Section, rows: list[Row], photos: dict[tuple[int, int], list]
) -> Table:
    """A section's table from its rows (section_rows()), with the photos of
    its records when it prints them."""
    formatted = [
        [
            format_cell(value, grouping=column.numeric)
            for column, value in zip(section.columns, row.cells, strict=True)
        ]
        for row in rows
    ]
    columns = [
        (header, column.numeric)
        for header, column in zip(section.header(), section.columns, strict=True)
    ]
    # The page leaves out a column no row fills (the CSV keeps every column).
    filled = [i for i in range(len(columns)) if any(row[i] for row in formatted)]
    printed_photos = []
    if section.photos:
        # Per part, not per row: a part's model is read off a query built for it.
        content_types = [
            _content_type(part.model()).pk if part.photos else None
            for part in section.sources
        ]
        for row in rows:
            content_type = content_types[row.part]
            if content_type is not None and row.record is not None:
                printed_photos += photos.get((content_type, row.record), [])
    return Table(
        section=section,
        columns=[columns[i] for i in filled],
        rows=[[row[i] for i in filled] for row in formatted],
        photos=printed_photos,
    )


# Printed tables have fixed column widths (brochure.css), given here from
# their text. WeasyPrint's automatic table layout finds a cell's narrowest
# width by laying out the rest of its text again at every place a line may
# break, and Japanese and Chinese may break after any character: a cell of n
# characters cost n² (3,000 characters took 15 s, 10,000 past gunicorn's
# timeout). Widths in ems of the tables' printed text (9pt on A4).
TABLE_EMS = 56
CELL_PADDING_EMS = 2
# A line longer than this wraps in any column, so asks for no more.
LINE_EMS_COUNTED = 24
WIDTH_STEP = 5  # percent: brochure.css has a class per step


def _ems(character: str) -> float:
    return 1.0 if unicodedata.east_asian_width(character) in "WF" else 0.55


def _line_and_word_ems(text: str) -> tuple[float, float]:
    """The width of `text`'s longest line (counted up to LINE_EMS_COUNTED)
    and of its longest part that cannot break (a number, a Latin word)."""
    longest_line = longest_word = 0.0
    for line in text.splitlines():
        line = line[: 2 * LINE_EMS_COUNTED]
        longest_line = max(longest_line, sum(_ems(c) for c in line))
        word = 0.0
        for character in line:
            if character.isspace() or _ems(character) == 1.0:
                longest_word = max(longest_word, word, _ems(character))
                word = 0.0
            else:
                word += _ems(character)
        longest_word = max(longest_word, word)
    return min(longest_line, LINE_EMS_COUNTED), longest_word


def print_column_widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    """The columns' widths in percent of the printed table, in steps of
    WIDTH_STEP, as the automatic table layout would share it out: each column
    at least its longest part that cannot break, the rest in proportion to
    its longest line. Linear in the text."""
    least, wanted = [], []
    for i, header in enumerate(headers):
        measures = [
            _line_and_word_ems(text) for text in [header, *(r[i] for r in rows)]
        ]
        word = max(w for _line, w in measures) + CELL_PADDING_EMS
        least.append(word)
        wanted.append(max(word, max(ln for ln, _w in measures) + CELL_PADDING_EMS))
    if sum(wanted) <= TABLE_EMS:
        ems = wanted
    elif sum(least) >= TABLE_EMS:
        ems = least
    else:
        room = TABLE_EMS - sum(least)
        extra = sum(wanted) - sum(least)
        ems = [
            lo + room * (w - lo) / extra for lo, w in zip(least, wanted, strict=True)
        ]
    total = sum(ems)
    widths = [
        max(WIDTH_STEP, WIDTH_STEP * round(100 * e / total / WIDTH_STEP)) for e in ems
    ]
    widths[widths.index(max(widths))] += 100 - sum(widths)
    return widths


def _cell_html(value: str) -> str:
    """A cell's text as HTML: escaped, each line break a <br>."""
    return html.escape(normalize_newlines(value)).replace("\n", "<br>")


def _content_type(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)


@dataclass(frozen=True)
class Figure:
    """A key figure, from a row of the summary: its cells are the summary's
    columns (figure, value, fiscal year, as of, edition). Its note for staff
    is not printed."""

    key: str
    label: str
    value: int
    fiscal_year: int | None
    as_of: str
    edition: str

    @property
    def display_value(self) -> str:
        return format_cell(self.value, grouping=True)


@dataclass(frozen=True)
class PrintedText:
    """What the brochure's edition printed on a program: its introduction
    (with the note printed with its tables) and the photos printed with it."""

    intro: ProgramIntro
    photos: list[PrintedPhoto]


@dataclass(frozen=True)
class Chapter:
    """A chapter of the brochure and its tables, for the index."""

    anchor: str
    title: Promise | str
    tables: list[Table] = field(default_factory=list)


# The brochures' chapters, in their order; the office and contact pages are
# always printed, a program's chapter only when the year has its records.
CHAPTERS = [
    ("office", _("About the office"), ["offices_in_china"]),
    ("seminars", Program.SEMINARS.label, ["seminars", "seminar_of_the_year"]),
    ("support", Program.SUPPORT.label, ["support_figures", "support_examples"]),
    (
        "economy",
        _("Exchange and economic promotion"),
        ["travel_expos", "cooking_events", "livestreams"],
    ),
    ("jet", Program.JET.label, ["jet_figures", "jet_placements", "jet_gatherings"]),
    ("lgotp", Program.LGOTP.label, ["lgotp_placements", "executive_seminar"]),
    ("experts", Program.EXPERTS.label, ["expert_dispatches"]),
    ("media", Program.MEDIA.label, ["media_collaborations"]),
    ("contact", _("Contact"), []),
]
ALWAYS_PRINTED = {"office", "contact"}

# Key figures printed with each part of the brochure (keys of Figure).
FIGURE_GROUPS = {
    "office": ["sister_cities", "offices_in_china"],
    "seminars": ["seminars"],
    "support": [
        "support_activity_support",
        "support_overseas_research",
        "requests_activity_support",
        "requests_overseas_research",
    ],
    "jet": ["jet_participants"],
    "lgotp": ["lgotp_trainees"],
    "executive_seminar": ["executive_seminar_participants"],
    "experts": ["experts_dispatched", "expert_dispatches"],
}


@dataclass
class PrintedBrochure:
    fiscal_year: int
    edition: BrochureEdition | None
    tables: dict[str, Table]
    figures: dict[str, Figure]
    # By program; a program the edition printed nothing on has none.
    texts: dict[str, PrintedText]
    cover_photos: list[PrintedPhoto]
    greeting: Greeting | None
    staff: list[StaffMember]
    services: list[SupportService]
    contacts: list[tuple[OfficeContact, list[PrintedPhoto]]]

    @property
    def is_own_edition(self) -> bool:
        """Whether the edition is the one reporting this year (the 2019
        edition for FY2018), not the nearest one."""
        return bool(self.edition and self.edition.year == self.fiscal_year + 1)

    @property
    def title(self) -> str:
        if self.is_own_edition:
            return self.edition.title
        office = gettext("CLAIR Beijing Office")
        return f"{office} {gettext('FY%(year)s') % {'year': self.fiscal_year}}"

    @property
    def figure_groups(self) -> dict[str, list[Figure]]:
        return {
            group: [self.figures[key] for key in keys if key in self.figures]
            for group, keys in FIGURE_GROUPS.items()
        }

    @property
    def chapters(self) -> list[Chapter]:
        chapters = []
        for anchor, title, names in CHAPTERS:
            tables = [self.tables[name] for name in names if self.tables[name]]
            if tables or anchor in ALWAYS_PRINTED:
                # The index lists a chapter's tables, unless one only repeats
                # the chapter's title.
                listed = [table for table in tables if table.title != str(title)]
                chapters.append(Chapter(anchor, title, listed))
        return chapters

    @property
    def printed(self) -> set[str]:
        return {chapter.anchor for chapter in self.chapters}


def printed_brochure(fiscal_year: int) -> PrintedBrochure | None:
    """The brochure of `fiscal_year` in the active language, or None when
    the year has no records. A constant number of queries whatever the data:
    the years with records, the edition, every section's rows together, the
    photos, and the office's pages (one small query each)."""
    if fiscal_year not in available_fiscal_years():
        return None
    edition = BrochureEdition.objects.filter(
        pk=Subquery(reporting_edition_query(Value(fiscal_year)))
    ).first()
    rows = section_rows(fiscal_year)
    office = _office_queries(edition)
    photos = photos_by_subject(
        photos_query(_photo_sources(fiscal_year, edition, office["contacts"]))
    )
    tables = {
        section.name: section_table(section, rows[section.name], photos)
        for section in SECTIONS
        if section.name != "summary"
    }
    greetings = list(office["greeting"])
    return PrintedBrochure(
        fiscal_year=fiscal_year,
        edition=edition,
        tables=tables,
        figures={row.key: Figure(row.key, *row.cells) for row in rows["summary"]},
        texts={
            intro.program: PrintedText(intro, photos.get(_key(intro), []))
            for intro in office["intros"]
        },
        cover_photos=photos.get(_key(edition), []),
        greeting=greetings[0] if greetings else None,
        staff=list(office["staff"]),
        services=list(office["services"]),
        contacts=[
            (contact, photos.get(_key(contact), [])) for contact in office["contacts"]
        ],
    )


def _office_queries(edition: BrochureEdition | None) -> dict[str, QuerySet]:
    """The office's pages as the edition printed them: the director's
    greeting, the staff, the contacts and the programs' texts; and the
    support services."""
    greeting = Greeting.objects.filter(edition=edition).select_related("director")
    staff = (
        StaffMember.objects.filter(edition=edition)
        .exclude(role=StaffMember.Role.DIRECTOR)
        .order_by("position", "pk")
    )
    intros = ProgramIntro.objects.filter(edition=edition).order_by("program")
    if edition is None:
        greeting, staff, intros = greeting.none(), staff.none(), intros.none()
    return {
        "greeting": greeting,
        "staff": staff,
        "contacts": OfficeContact.objects.printed_in(edition),
        # Never the note for staff.
        "intros": intros.defer(*get_translation_fields("staff_note")),
        "services": SupportService.objects.order_by("position"),
    }


def _photo_sources(
    fiscal_year: int, edition: BrochureEdition | None, contacts: QuerySet
) -> PhotoSources:
    """Whose photos the page prints: the cover's, the contacts', and those of
    the records of the sections with photos (queries of their ids, run inside
    the photos' query)."""
    sources: PhotoSources = [(OfficeContact, contacts.values("pk"))]
    if edition is not None:
        sources.append((BrochureEdition, [edition.pk]))
        intros = ProgramIntro.objects.filter(edition=edition)
        sources.append((ProgramIntro, intros.values("pk")))
    year = Value(fiscal_year)
    for section in SECTIONS:
        if section.photos:
            for part in section.sources:
                if part.photos:
                    rows = part.rows(year).order_by().values("pk")
                    sources.append((part.model(), rows))
    return sources
