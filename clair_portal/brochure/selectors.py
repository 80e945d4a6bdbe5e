"""The printed brochure of a fiscal year: the sections' tables (the same rows
as the CSV export) with their photos, and the office's pages around them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clair_portal.models import (
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
    BrochureYear,
    Figure,
    Section,
    available_fiscal_years,
    format_cell,
)


@dataclass(frozen=True)
class PrintedPhoto:
    caption: str
    url: str | None  # None: the brochure's photo is not scanned yet


def printed_photo(photo: Photo) -> PrintedPhoto:
    url = None
    if photo.image:
        try:
            url = photo.thumbnail.url
        except (OSError, ValueError):  # the file is gone: print the caption
            url = None
    return PrintedPhoto(photo.caption, url)


def _photo_subject(record):
    """The record whose photos print with a row (a support figure's for its
    count), or None."""
    subject = getattr(record, "photo_subject", record)
    return subject if isinstance(subject, models.Model) else None


def photos_of(subjects: Iterable) -> dict[tuple[int, int], list[PrintedPhoto]]:
    """The photos of records of any kinds, by (content type id, record id),
    in one query."""
    ids = defaultdict(set)
    for subject in subjects:
        if subject is not None:
            ids[type(subject)].add(subject.pk)
    if not ids:
        return {}
    content_types = ContentType.objects.get_for_models(*ids)
    condition = reduce(
        or_,
        [
            Q(content_type=content_types[model], object_id__in=pks)
            for model, pks in ids.items()
        ],
    )
    photos = defaultdict(list)
    for photo in Photo.objects.filter(condition).order_by(
        "content_type", "object_id", "position", "pk"
    ):
        photos[photo.content_type_id, photo.object_id].append(printed_photo(photo))
    return photos


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
    records: list
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
    def lines(self) -> list[list[tuple[str, bool]]]:
        """Per row, (value, numeric) of each cell."""
        numeric = [is_numeric for _header, is_numeric in self.columns]
        return [list(zip(row, numeric, strict=True)) for row in self.rows]

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


def section_table(section: Section, year: BrochureYear) -> Table:
    """A section's rows for the page; photos are added by printed_brochure()."""
    records = list(section.records(year))
    rows = [
        [
            format_cell(value, grouping=column.numeric)
            for column, value in zip(
                section.columns, section.row(year, record), strict=True
            )
        ]
        for record in records
    ]
    columns = [
        (header, column.numeric)
        for header, column in zip(section.header(), section.columns, strict=True)
    ]
    # The page leaves out a column no row fills (the CSV keeps every column).
    filled = [i for i in range(len(columns)) if any(row[i] for row in rows)]
    return Table(
        section=section,
        columns=[columns[i] for i in filled],
        rows=[[row[i] for i in filled] for row in rows],
        records=records,
        photos=[],
    )


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
    intros: dict[str, ProgramIntro]
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
    the year has no records. A constant number of queries, one per section
    and one for all the photos."""
    if fiscal_year not in available_fiscal_years():
        return None
    year = BrochureYear(fiscal_year)
    tables = {section.name: section_table(section, year) for section in SECTIONS}
    summary = tables.pop("summary")
    edition = year.edition
    greeting = None
    staff = []
    if edition is not None:
        try:
            greeting = edition.greeting  # fetched with the edition
        except Greeting.DoesNotExist:
            greeting = None
        staff = list(
            StaffMember.objects.filter(edition=edition)
            .exclude(role=StaffMember.Role.DIRECTOR)
            .order_by("position", "pk")
        )
    contacts = list(OfficeContact.objects.order_by("site"))

    subjects = {
        table.name: [_photo_subject(record) for record in table.records]
        for table in tables.values()
        if table.section.photos
    }
    photos = photos_of(
        [edition, *contacts, *(s for group in subjects.values() for s in group)]
    )
    for name, group in subjects.items():
        tables[name].photos = [
            photo for subject in group for photo in photos.get(_key(subject), [])
        ]
    return PrintedBrochure(
        fiscal_year=fiscal_year,
        edition=edition,
        tables=tables,
        figures={figure.key: figure for figure in summary.records},
        intros={intro.program: intro for intro in ProgramIntro.objects.all()},
        cover_photos=photos.get(_key(edition), []),
        greeting=greeting,
        staff=staff,
        services=list(SupportService.objects.order_by("position")),
        contacts=[(contact, photos.get(_key(contact), [])) for contact in contacts],
    )
