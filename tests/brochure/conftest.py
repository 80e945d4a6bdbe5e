import csv
import io

import pytest
from django.core.management import call_command


def read_csv(path):
    """(header, rows) of a CSV file written by the export."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    return header, rows


@pytest.fixture
def export(tmp_path):
    """Run export_brochure; returns (output directory, what it printed)."""

    def run(fiscal_year, language, *, stdout=None):
        directory = tmp_path / f"fy{fiscal_year}-{language}"
        stdout = stdout or io.StringIO()
        call_command(
            "export_brochure",
            fiscal_year=fiscal_year,
            language=language,
            output=directory,
            stdout=stdout,
        )
        return directory, stdout.getvalue()

    return run
