"""The brochure's data as CSV: one file per section, UTF-8 with BOM.

PostgreSQL writes the lines (csv_sql.py) in one query, streamed CHUNK_SIZE
rows at a time; they go to files (the export_brochure command) or into a ZIP
that a streaming response sends as it is written (the admin's export page):
memory stays flat whatever the number of rows.
"""

import io
import itertools
import zipfile
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path

from django.utils import translation

from clair_portal.foundation.csv_files import BOM, line_writer

from .csv_sql import prepare_query, stream_lines
from .sections import LANGUAGE_CODES, SECTIONS, Section

# Lines fetched per database round trip: memory follows this, not the year.
CHUNK_SIZE = 200
ZIP_CHUNK = 64 * 1024

Progress = Callable[[Section, int, bool], None]  # (section, rows so far, done)


def csv_lines(fiscal_year: int, language: str) -> Iterator[tuple[Section, str]]:
    """Every section of the year with its CSV text, line by line: the header
    (after the BOM), then one line per row. Call it with `language` active.

    A year without data gives the headers only; a year with data has at
    least the summary's count of seminars."""
    writer = line_writer()
    rows = stream_lines(fiscal_year, language, CHUNK_SIZE)
    row = next(rows, None)
    for number, section in enumerate(SECTIONS):
        yield section, BOM + writer.writerow(section.header())
        while row is not None and row[0] == number:
            yield section, row[1]
            row = next(rows, None)


def _by_section(
    lines: Iterator[tuple[Section, str]],
) -> Iterator[tuple[Section, Iterator[str]]]:
    """Each section with its lines, in order."""
    for section, pairs in itertools.groupby(lines, key=itemgetter(0)):
        yield section, (line for _section, line in pairs)


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
        for section, lines in _by_section(csv_lines(fiscal_year, language)):
            rows = -1  # the header is not a row
            with (directory / section.filename).open(
                "w", encoding="utf-8", newline=""
            ) as stream:
                for line in lines:
                    stream.write(line)
                    rows += 1
                    if progress and rows and rows % progress_every == 0:
                        progress(section, rows, False)
            counts[section.filename] = rows
            if progress:
                progress(section, rows, True)
    return sum(counts.values()) > 0, counts


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
    written while they are sent. The language and the database are checked
    at once, so that an error comes before a response starts, not inside it."""
    check_language(language)
    prepare_query(language)
    return _zip_stream(fiscal_year, language)


def _zip_stream(fiscal_year: int, language: str) -> Iterator[bytes]:
    sink = _ZipSink()
    with translation.override(language):
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for section, lines in _by_section(csv_lines(fiscal_year, language)):
                with archive.open(section.filename, "w") as entry:
                    for line in lines:
                        entry.write(line.encode("utf-8"))
                        if sink.buffered >= ZIP_CHUNK:
                            yield sink.take()
    yield sink.take()


def zip_filename(fiscal_year: int, language: str) -> str:
    return f"brochure-fy{fiscal_year}-{language}.zip"
