import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection


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


@pytest.fixture
def without_temporary_tables():
    """The database user may use every table but not create temporary
    objects, as a role without the TEMPORARY privilege. (Roles, grants and
    SET ROLE roll back with the test's transaction.)"""
    database = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute("DISCARD TEMP")  # a function left by an earlier test
        cursor.execute("CREATE ROLE clair_export_without_temp")
        for objects in ("TABLES", "SEQUENCES"):
            cursor.execute(
                f"GRANT ALL ON ALL {objects} IN SCHEMA public"
                " TO clair_export_without_temp"
            )
        cursor.execute(f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC")
        cursor.execute("SET ROLE clair_export_without_temp")
