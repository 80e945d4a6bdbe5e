"""The printed brochure of a fiscal year: the sections' tables (the same rows
as the CSV export) with their photos, and the office's pages around them.

The page reads all of it in a few queries whatever the data: the years with
records, the year's lookups, then everything it prints in one query
(`fetch_together`)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Func, JSONField, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
    COUNTED,
    SECTIONS,
    SECTIONS_BY_NAME,
    BrochureYear,
    Figure,
    Section,
    available_fiscal_years,
    editions_query,
    format_cell,
    jet_figures_query,
    key_figures_query,
    places_query,
    published_jet_figures,
    reporting_edition,
    support_counts_of,
    support_figures_query,
    support_requests_query,
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


# Several queries in one round trip ---------------------------------------------------
# Each queryset's rows come as JSON arrays in one UNION ALL, tagged with the
# queryset's key and their rank in its order, and are read back as the queryset
# would give them: model instances with their annotations and the rows
# select_related() joins (or dicts, for values()).


def fetch_together(
    querysets: dict[str, QuerySet], cell_rows: dict[str, QuerySet] | None = None
) -> dict[str, list]:
    """The rows of several querysets, by key, in one query; and the rows of
    `cell_rows` (values_list("_key", "_rank", "_row") of declared cells), as
    lists."""
    cell_rows = cell_rows or {}
    rows = {key: [] for key in [*querysets, *cell_rows]}
    readers, parts = {}, []
    # Declared cells first: the union starts with a part that is neither
    # sliced nor empty (an empty first part and a sliced second one would
    # leave the slice's ORDER BY before the union's).
    for key, part in cell_rows.items():
        readers[key] = list
        parts.append(part)
    for key, queryset in querysets.items():
        layout = _Layout.of(queryset)
        readers[key] = layout.read
        parts.append(
            _without_rewriting(queryset)
            .annotate(_key=Value(key), _rank=_rank(queryset), _row=layout.array())
            .values_list("_key", "_rank", "_row")
        )
    if parts:
        first, *others = parts
        if others:
            first = first.union(*others, all=True).order_by("_key", "_rank")
        for key, _rank_in_key, row in first:  # a lone part keeps its own order
            rows[key].append(readers[key](row))
    return rows


def _without_rewriting(queryset: QuerySet) -> QuerySet:
    """modeltranslation's values_list() passes the names through a set, which
    would shuffle the columns of the union's parts."""
    rewrite = getattr(queryset, "rewrite", None)
    return rewrite(False) if rewrite else queryset


def _rank(queryset: QuerySet):
    """The row's rank in the queryset's order (ties by id)."""
    query = queryset.query
    if query.group_by is not None:
        # Counts per kind, read into a dict: no order to keep (and Django
        # would put a window function in the GROUP BY).
        return Value(0)
    ordering = list(query.order_by or queryset.model._meta.ordering)
    ordering.append("pk")
    return Window(RowNumber(), order_by=ordering)


class _JSONArray(Func):
    """A row's values by position, 100 at most (PostgreSQL's limit of
    arguments). JSONObject would add a key to each value: twice the
    expressions to compile, and the page has hundreds."""

    function = "JSONB_BUILD_ARRAY"
    output_field = JSONField()


@dataclass
class _Layout:
    """Where each value of a queryset's row sits in its JSON array: the model's
    columns, the annotations, then each row select_related() joins (nested)."""

    model: type[models.Model] | None  # None: a values() row, read as a dict
    names: list[str]  # columns' attnames, or the values() names
    annotations: dict[str, object]  # name: expression
    related: dict[str, "_Layout"]
    db: str

    @classmethod
    def of(cls, queryset: QuerySet) -> "_Layout":
        query = queryset.query
        annotations = dict(query.annotation_select)
        if query.values_select:
            return cls(None, [*query.values_select, *annotations], {}, {}, "")
        related = query.select_related or {}
        if not isinstance(related, dict):
            raise ValueError("Name the relations to select_related().")
        return cls._of_model(queryset.model, related, annotations, queryset.db)

    @classmethod
    def _of_model(cls, model, related: dict, annotations: dict, db: str):
        return cls(
            model,
            [field.attname for field in model._meta.concrete_fields],
            annotations,
            {
                name: cls._of_model(
                    model._meta.get_field(name).related_model, nested, {}, db
                )
                for name, nested in related.items()
            },
            db,
        )

    def array(self, prefix: str = "") -> _JSONArray:
        return _JSONArray(
            *[F(prefix + name) for name in self.names],
            *[F(name) for name in self.annotations],
            *[
                layout.array(f"{prefix}{name}__")
                for name, layout in self.related.items()
            ],
        )

    def read(self, values: list):
        if self.model is None:
            return dict(zip(self.names, values, strict=True))
        values = iter(values)
        # The columns: zip() stops at the last field, the rest of `values` stays.
        columns = zip(self.model._meta.concrete_fields, values, strict=False)
        instance = self.model.from_db(
            self.db, self.names, [field.to_python(value) for field, value in columns]
        )
        for name, annotation in self.annotations.items():
            setattr(instance, name, _python(annotation.output_field, next(values)))
        for name, layout in self.related.items():
            row = next(values)
            setattr(instance, name, layout.read(row) if layout.found(row) else None)
        return instance

    def found(self, values: list) -> bool:
        """Whether a joined row is there (a null foreign key joins nulls)."""
        pk = self.model._meta.pk.attname
        return values[self.names.index(pk)] is not None


def _python(output_field, value):
    """A JSON value as the database adapter would have given it."""
    if isinstance(output_field, ArrayField) and value is not None:
        return [output_field.base_field.to_python(item) for item in value]
    return output_field.to_python(value)


def year_with_lookups(fiscal_year: int) -> BrochureYear:
    """The year with the lookups the sections share read in one query (the
    edition, its JET figures, the support figures, the Japanese local
    governments), instead of one each."""
    fy = fiscal_year
    rows = fetch_together(
        {
            "editions": editions_query(),
            "jet_figures": jet_figures_query(fy),
            "support_figures": support_figures_query(fy),
            "support_requests": support_requests_query(fy),
            "places": places_query(),
        }
    )
    year = BrochureYear(fy)
    year.edition = reporting_edition(rows["editions"], fy)
    year.japanese_places = {place.pk: place for place in rows["places"]}
    year.jet_figures = published_jet_figures(rows["jet_figures"], fy)
    year.support_counts = support_counts_of(
        rows["support_figures"], rows["support_requests"]
    )
    return year


# Photos --------------------------------------------------------------------------------


def _photo_subject(record):
    """The record whose photos print with a row (a support figure's for its
    count), or None."""
    subject = getattr(record, "photo_subject", record)
    return subject if isinstance(subject, models.Model) else None


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
    return Photo.objects.filter(condition).order_by(
        "content_type", "object_id", "position", "pk"
    )


def photos_by_subject(
    photos: Iterable[Photo],
) -> dict[tuple[int, int], list[PrintedPhoto]]:
    """Photos by (content type id, record id), in their order."""
    by_subject = defaultdict(list)
    for photo in photos:
        by_subject[photo.content_type_id, photo.object_id].append(printed_photo(photo))
    return by_subject


def _photo_keys(table: "Table") -> list[tuple[int, int] | None]:
    """The (content type id, record id) of each record of a table."""
    if table.section.declared:
        model, *_others = table.section.models
        content_type = ContentType.objects.get_for_model(model)
        return [(content_type.pk, pk) for pk in table.records]
    return [_key(_photo_subject(record)) for record in table.records]


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


def cell_rows(section: Section, fiscal_year: int) -> QuerySet:
    """A declared section's rows for fetch_together(): the record's id, then
    its cells."""
    return (
        _without_rewriting(section.rows(Value(fiscal_year)))
        .order_by()
        .annotate(
            _key=Value(section.name),
            _rank=section.rank(),
            _row=_JSONArray(F("pk"), *[column.cell() for column in section.columns]),
        )
        .values_list("_key", "_rank", "_row")
    )


def declared_table(section: Section, rows: list[list]) -> Table:
    """A declared section's table, from the rows of cell_rows(): its
    records are their ids."""
    return _table(section, [row[1:] for row in rows], [row[0] for row in rows])


def section_table(
    section: Section, year: BrochureYear, records: Iterable | None = None
) -> Table:
    """A section's rows for the page, of `records` when they were fetched
    already; photos are added by printed_brochure()."""
    records = list(section.records(year) if records is None else records)
    return _table(section, [section.row(year, record) for record in records], records)


def _table(section: Section, values: list, records: list) -> Table:
    rows = [
        [
            format_cell(value, grouping=column.numeric)
            for column, value in zip(section.columns, row, strict=True)
        ]
        for row in values
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


SUMMARY = SECTIONS_BY_NAME["summary"]


def printed_brochure(fiscal_year: int) -> PrintedBrochure | None:
    """The brochure of `fiscal_year` in the active language, or None when
    the year has no records. Three queries whatever the data: the years with
    records, the year's lookups, then everything the page prints."""
    if fiscal_year not in available_fiscal_years():
        return None
    year = year_with_lookups(fiscal_year)
    edition = year.edition
    # The key figures (the summary) count the other sections' rows: last.
    records = {
        section.name: section.records(year)
        for section in SECTIONS
        if section is not SUMMARY and not section.declared
    }
    declared = [section for section in SECTIONS if section.declared]
    queries = {
        name: section_records
        for name, section_records in records.items()
        if isinstance(section_records, QuerySet)
    }
    office = _office_queries(edition)
    rows = fetch_together(
        {
            **queries,
            **office,
            "key_figures": key_figures_query(edition),
            "photos": photos_query(
                _photo_sources(records, declared, fiscal_year, edition, office)
            ),
        },
        {section.name: cell_rows(section, fiscal_year) for section in declared},
    )
    year.key_figures = {figure.metric: figure for figure in rows["key_figures"]}
    tables = {
        name: section_table(
            SECTIONS_BY_NAME[name],
            year,
            rows[name] if name in queries else section_records,
        )
        for name, section_records in records.items()
    }
    tables.update(
        {
            section.name: declared_table(section, rows[section.name])
            for section in declared
        }
    )
    tables = {
        section.name: tables[section.name]
        for section in SECTIONS
        if section is not SUMMARY
    }
    year.record_counts = {key: len(tables[key].records) for key, *_rest in COUNTED}
    summary = section_table(SUMMARY, year)
    photos = photos_by_subject(rows["photos"])
    for table in tables.values():
        if table.section.photos:
            table.photos = [
                photo for key in _photo_keys(table) for photo in photos.get(key, [])
            ]
    greetings = rows["greeting"]
    return PrintedBrochure(
        fiscal_year=fiscal_year,
        edition=edition,
        tables=tables,
        figures={figure.key: figure for figure in summary.records},
        intros={intro.program: intro for intro in rows["intros"]},
        cover_photos=photos.get(_key(edition), []),
        greeting=greetings[0] if greetings else None,
        staff=rows["staff"],
        services=rows["services"],
        contacts=[
            (contact, photos.get(_key(contact), [])) for contact in rows["contacts"]
        ],
    )


def _office_queries(edition: BrochureEdition | None) -> dict[str, QuerySet]:
    """The office's pages: the director's greeting and the staff of the
    edition, the contacts, the programs' introductions, the support services."""
    greeting = Greeting.objects.filter(edition=edition).select_related("director")
    staff = (
        StaffMember.objects.filter(edition=edition)
        .exclude(role=StaffMember.Role.DIRECTOR)
        .order_by("position", "pk")
    )
    if edition is None:
        greeting, staff = greeting.none(), staff.none()
    return {
        "greeting": greeting,
        "staff": staff,
        "contacts": OfficeContact.objects.order_by("site"),
        "intros": ProgramIntro.objects.order_by("program"),
        "services": SupportService.objects.order_by("position"),
    }


def _photo_sources(
    records: dict[str, Iterable],
    declared: list[Section],
    fiscal_year: int,
    edition: BrochureEdition | None,
    office: dict[str, QuerySet],
) -> PhotoSources:
    """Whose photos the page prints: the cover's, the contacts', and those of
    the records of the sections with photos (queries of their ids, so that the
    photos come in the same query as the records)."""
    sources: PhotoSources = [(OfficeContact, office["contacts"].values("pk"))]
    if edition is not None:
        sources.append((BrochureEdition, [edition.pk]))
    listed = defaultdict(list)  # the records of the sections computed from lookups
    for name, section_records in records.items():
        if not SECTIONS_BY_NAME[name].photos:
            continue
        if isinstance(section_records, QuerySet):
            sources.append((section_records.model, section_records.values("pk")))
        else:
            for subject in filter(None, map(_photo_subject, section_records)):
                listed[type(subject)].append(subject.pk)
    sources.extend(listed.items())
    for section in declared:
        if section.photos:
            model, *_others = section.models
            rows = section.rows(Value(fiscal_year)).order_by().values("pk")
            sources.append((model, rows))
    return sources
