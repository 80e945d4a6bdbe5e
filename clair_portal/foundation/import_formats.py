"""The files the admin imports and exports (django-import-export's formats):
CSV in UTF-8 with a byte order mark, which Excel needs to read Japanese and
Chinese, and XLSX, each read within bounds (rows, columns, a cell's size, a
workbook's parts), and a file that cannot be read refused with a message that
says why (ImportFileError). On export a text cell that a spreadsheet would run
as a formula (=, +, -, @...) is prefixed with an apostrophe; the import takes
it off again, so a file round-trips unchanged."""

import csv
import io
import zipfile

import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from import_export.formats import base_formats

from .archives import ArchiveTooLarge, zip_check_sizes, zip_open
from .csv_files import escape_formula, unescape_formula
from .typography import figure


class FormulaEscapingMixin:
    """Replaces import-export's own escaping, which only drops a leading "="
    and turns every XLSX cell, numbers and dates included, into text."""

    def _escape_formulae(self, dataset):
        # Called by export_data() when IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT.
        for index, row in enumerate(dataset):
            dataset[index] = [escape_formula(cell) for cell in row]

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        return tablib.Dataset(
            *[[unescape_formula(cell) for cell in row] for row in dataset],
            headers=dataset.headers,
        )


class ImportFileError(ValueError):
    """A file to import refused while it is read: past the limits in
    settings, or not what its format says. Its message is for the person
    importing: what is wrong and what to do."""


class ImportTooLarge(ImportFileError):
    """A file to import past the limits in settings (IMPORT_MAX_ROWS,
    IMPORT_MAX_INFLATED_SIZE), found while reading it, before it is read
    whole."""


def rows_within_limit(rows):
    """Yield `rows` (a file's rows after its header), raising ImportTooLarge
    as soon as there is one more than IMPORT_MAX_ROWS."""
    for count, row in enumerate(rows, start=1):
        if count > settings.IMPORT_MAX_ROWS:
            raise ImportTooLarge(
                gettext(
                    "The file has more than %(max)d rows. Import at most %(max)d "
                    "rows at a time: split the file and import the parts one "
                    "after another."
                )
                % {"max": settings.IMPORT_MAX_ROWS}
            )
        yield row


def checked_dataset(headers, rows):
    """A dataset of `headers` and `rows` (a file's rows after its header, each
    as wide as the header or narrower), refusing a file without either."""
    if not any(header not in (None, "") for header in headers or ()):
        raise ImportFileError(
            gettext(
                "The file is empty. Export the list to get a file with its "
                "columns, fill it in, and import that."
            )
        )
    dataset = tablib.Dataset(headers=list(headers))
    for row in rows:
        dataset.append(list(row) + [""] * (dataset.width - len(row)))
    if not dataset.height:
        raise ImportFileError(
            gettext(
                "The file has no rows below its header row (the row that names "
                "the columns): there is nothing to import."
            )
        )
    return dataset


def import_file_error_message(error: Exception) -> str | None:
    """What to tell the person importing about `error`, raised while the
    admin read their file; None when the portal knows no better than
    import-export's own message."""
    if isinstance(error, ImportFileError):
        return str(error)
    if isinstance(error, UnicodeDecodeError):
        if error.object[:4] == ZIP_SIGNATURE:
            return gettext(
                "This file is an Excel workbook, not a CSV file: choose XLSX as "
                "its format."
            )
        return gettext(
            "The file is not in UTF-8, the encoding the portal reads CSV files "
            "in (it may be Shift_JIS, GBK or UTF-16). In Excel, save it as "
            "“CSV UTF-8 (Comma delimited)” and import that file, or import the "
            "workbook as XLSX."
        )
    return None


CSV_ENCODING = "utf-8-sig"


class BoundedCSV(base_formats.CSV):
    """import-export's CSV format, read once with Python's csv module and
    within bounds: rows counted as they are read (IMPORT_MAX_ROWS), a row
    wider than the header, a cell past the reader's limit or a stray quote
    refused with the row's number."""

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream
        if isinstance(text, bytes):
            text = text.decode(self.encoding)
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        rows = []
        try:
            headers = next((row for row in reader if row), None)
            for number, row in enumerate(
                rows_within_limit(row for row in reader if row), start=1
            ):
                if len(row) > len(headers):
                    raise ImportFileError(
                        gettext(
                            "Data row %(row)s has %(cells)s cells, more than the "
                            "%(columns)s columns the header row names. Name each "
                            "cell's column in the header row, or remove the cells "
                            "past the last column."
                        )
                        % {
                            "row": number,
                            "cells": len(row),
                            "columns": len(headers),
                        }
                    )
                rows.append(row)
        except csv.Error as error:
            raise ImportFileError(
                csv_error_message(error, row_number=len(rows) + 1)
            ) from None
        return checked_dataset(headers, rows)


def csv_error_message(error: csv.Error, *, row_number: int) -> str:
    # Python's reader stops at a cell past csv.field_size_limit() (which an
    # unclosed quote reaches by taking in the rest of the file) and, strict,
    # at a quote that is never closed or that text follows.
    if "field larger than field limit" in str(error):
        return gettext(
            "Data row %(row)s has a cell longer than %(max)s characters, the most a "
            'cell may hold. Shorten it; if it should be short, a quote (") '
            "that opens it is not closed."
        ) % {
            "row": row_number,
            "max": figure(csv.field_size_limit()),
        }
    return gettext(
        'Data row %(row)s cannot be read as CSV: a quote (") in it is not closed, '
        "or text follows a closing quote. Put a cell with quotes in quotes "
        'whole, and write each quote inside it twice ("").'
    ) % {"row": row_number}


class CSV(FormulaEscapingMixin, BoundedCSV):
    """CSV in UTF-8 with a byte order mark, as Excel reads it. (The admin
    encodes an export with its `to_encoding`, the same.)"""

    def __init__(self, encoding=CSV_ENCODING):
        super().__init__(encoding=encoding)


# Far more than any resource's fields; a sheet may declare 16,384 columns, and
# openpyxl fills every row to the declared width.
XLSX_MAX_COLUMNS = 256
# A workbook is a zip: a few parts per sheet.
XLSX_MAX_MEMBERS = 1000
ZIP_SIGNATURE = b"PK\x03\x04"


def not_a_workbook():
    return ImportFileError(
        gettext(
            "This file is not an Excel workbook (XLSX), or it is protected by a "
            "password. Choose CSV as its format if it is a CSV file; otherwise "
            "save it from Excel as “Excel Workbook (*.xlsx)” without a "
            "password, and import that."
        )
    )


class ReadOnlyXLSX(base_formats.XLSX):
    """import-export's XLSX format, read within bounds: refused when its parts
    would inflate past IMPORT_MAX_INFLATED_SIZE (zipfile then inflates no
    more), read a row at a time (openpyxl's read-only mode), at most
    XLSX_MAX_COLUMNS wide, and refused at the first row past IMPORT_MAX_ROWS
    (import-export's own reads every row)."""

    def create_dataset(self, in_stream, **kwargs):
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            with zip_open(
                io.BytesIO(in_stream), max_members=XLSX_MAX_MEMBERS
            ) as archive:
                zip_check_sizes(
                    archive, max_total_size=settings.IMPORT_MAX_INFLATED_SIZE
                )
        except ArchiveTooLarge:
            raise ImportTooLarge(
                gettext(
                    "The workbook is larger than %(max)s once unpacked. Split it "
                    "and import the parts one after another."
                )
                % {"max": filesizeformat(settings.IMPORT_MAX_INFLATED_SIZE)}
            ) from None
        except zipfile.BadZipFile:
            raise not_a_workbook() from None
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(in_stream), read_only=True, data_only=True
            )
        except (zipfile.BadZipFile, KeyError, InvalidFileException):
            # A zip without a workbook's parts (a Word document...).
            raise not_a_workbook() from None
        try:
            sheet = workbook.active
            header = next(
                sheet.iter_rows(max_row=1, max_col=XLSX_MAX_COLUMNS, values_only=True),
                (),
            )
            headers = list(header)
            while headers and headers[-1] is None:
                headers.pop()
            rows = sheet.iter_rows(
                min_row=2, max_col=max(len(headers), 1), values_only=True
            )
            skip_blank = getattr(
                settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False
            )
            dataset = checked_dataset(
                headers,
                (
                    row
                    for row in rows_within_limit(rows)
                    if not (skip_blank and all(value is None for value in row))
                ),
            )
        finally:
            workbook.close()
        return dataset


class XLSX(FormulaEscapingMixin, ReadOnlyXLSX):
    pass


# XLSX needs openpyxl (tablib[xlsx]); without it the admin offers CSV only.
FORMATS = [file_format for file_format in (CSV, XLSX) if file_format.is_available()]
