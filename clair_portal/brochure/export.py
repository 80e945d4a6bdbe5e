"""The brochure's data as CSV: one file per section, UTF-8 with BOM.

Rows are streamed from the database (`.iterator(chunk_size=...)`) and written
one by one, to files (the export_brochure command) or into a ZIP that a
streaming response sends as it is written (the admin's export page): memory
stays flat whatever the number of rows.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.db.models import QuerySet
from django.utils import translation

from .sections import (
    CHUNK_SIZE,
    LANGUAGE_CODES,
    SECTIONS,
    BrochureYear,
    Section,
    available_fiscal_years,
    format_cell,
)
from .selectors import year_with_lookups

BOM = "\ufeff"
# Spreadsheets run a cell that starts like a formula: keep text as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ZIP_CHUNK = 64 * 1024

Progress = Callable[[Section, int, bool], None]  # (section, rows so far, done)


class _Echo:
    """csv.writer's file: hands back each line instead of storing it."""

    def write(self, line):
        return line


def _csv_cell(value) -> str:
    text = format_cell(value)
    if not isinstance(value, int) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _iterate(records: Iterable) -> Iterator:
    if isinstance(records, QuerySet):
        return records.iterator(chunk_size=CHUNK_SIZE)
    return iter(records)


def section_lines(
    section: Section, year: BrochureYear, *, with_rows: bool = True
) -> Iterator[str]:
    """A section's CSV text, line by line: the header (after the BOM), then
    one line per row. Call it with the export's language active."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(section.header())
    if not with_rows:
        return
    for record in _iterate(section.records(year)):
        yield writer.writerow([_csv_cell(value) for value in section.row(year, record)])


def _year(fiscal_year: int) -> tuple[bool, BrochureYear]:
    """Whether the year has data, and the year (with its shared lookups read
    in one query when it has: each section is then one more query)."""
    if fiscal_year in available_fiscal_years():
        return True, year_with_lookups(fiscal_year)
    return False, BrochureYear(fiscal_year)


def check_language(language: str) -> str:
    if language not in LANGUAGE_CODES:
        raise ValueError(
            f"Unknown language {language!r}: choose one of {', '.join(LANGUAGE_CODES)}."
        )
    return language


def write_csv_files(
    *,
    fiscal_year: int,
    language: str,
    directory: Path,
    progress: Progress | None = None,
    progress_every: int = CHUNK_SIZE,
) -> tuple[bool, dict[str, int]]:
    """Write one CSV file per section of `fiscal_year` into `directory`.

    Returns whether the year has any data and the rows written per file. A
    year without data still gets every file, with its header only.
    Side effects: creates `directory` and overwrites the files in it.
    """
    check_language(language)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    with translation.override(language):
        has_data, year = _year(fiscal_year)
        for section in SECTIONS:
            rows = 0
            path = directory / section.filename
            with path.open("w", encoding="utf-8", newline="") as stream:
                lines = section_lines(section, year, with_rows=has_data)
                stream.write(next(lines))
                for line in lines:
                    stream.write(line)
                    rows += 1
                    if progress and rows % progress_every == 0:
                        progress(section, rows, False)
            counts[section.filename] = rows
            if progress:
                progress(section, rows, True)
    return has_data, counts


class _ZipSink(io.RawIOBase):
    """A write-only, unseekable file for zipfile: it then writes each entry's
    sizes after its data, and the response takes the bytes as they come."""

    def __init__(self):
        super().__init__()
        self._chunks = []
        self._buffered = 0
        self._position = 0

    def writable(self):
        return True

    def write(self, data):
        self._chunks.append(bytes(data))
        self._buffered += len(data)
        self._position += len(data)
        return len(data)

    def tell(self):
        return self._position

    @property
    def buffered(self) -> int:
        return self._buffered

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        self._buffered = 0
        return data


def zip_chunks(*, fiscal_year: int, language: str) -> Iterator[bytes]:
    """The CSV files of `fiscal_year` as one ZIP, in chunks of about 64 KiB,
    written while they are sent."""
    check_language(language)
    sink = _ZipSink()
    with translation.override(language):
        has_data, year = _year(fiscal_year)
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for section in SECTIONS:
                with archive.open(section.filename, "w") as entry:
                    for line in section_lines(section, year, with_rows=has_data):
                        entry.write(line.encode("utf-8"))
                        if sink.buffered >= ZIP_CHUNK:
                            yield sink.take()
    yield sink.take()


def zip_filename(fiscal_year: int, language: str) -> str:
    return f"brochure-fy{fiscal_year}-{language}.zip"
