"""Open data: tables of the public pages as CSV downloads."""

from collections.abc import Iterable, Sequence

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import translation

from .cells import Column, table_rows
from .csv_files import BOM, line_writer, safe_cells


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """Stream `rows` as a CSV download named `filename`, through the portal's
    one CSV writer (clair_portal.foundation.csv_files): BOM, formula starts escaped."""
    writer = line_writer()
    # Rows are produced while the response streams, after the view has
    # returned: keep the page's language for the translated values.
    language = translation.get_language()

    def lines():
        with translation.override(language):
            yield BOM + writer.writerow(safe_cells(header))
            for row in rows:
                yield writer.writerow(safe_cells(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_csv(filename: str, rows: QuerySet, columns: Sequence[Column]):
    """A CSV download of `rows` in declared `columns` (their cells written by
    PostgreSQL in the page's language, clair_portal/foundation/cells.py)."""
    header = [column.header() for column in columns]
    return csv_response(filename, header, table_rows(rows, columns))
