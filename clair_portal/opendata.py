"""Open data: tables of the public pages as CSV, UTF-8 with BOM for Excel."""

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse
from django.utils import translation

BOM = "\ufeff"


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """Stream `rows` as a CSV download named `filename`."""
    writer = csv.writer(_Echo())
    # Rows are produced while the response streams, after the view has
    # returned: keep the page's language for the translated values.
    language = translation.get_language()

    def lines():
        with translation.override(language):
            yield BOM + writer.writerow([str(cell) for cell in header])
            for row in rows:
                yield writer.writerow(
                    ["" if cell is None else str(cell) for cell in row]
                )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
