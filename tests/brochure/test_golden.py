"""The export of the brochures' years, byte for byte as it was written before
the sections were declared once (tests/brochure/golden/, one folder per year
and language): a change to a cell shows here as a changed file."""

from pathlib import Path

import pytest

from clair_portal.features.brochure.export import write_csv_files

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
EXPORTS = sorted(path.name for path in GOLDEN.iterdir() if path.is_dir())


def test_every_year_and_language_has_its_files():
    assert EXPORTS == [
        f"fy{year}-{language}"
        for year in (2018, 2019, 2022)
        for language in ("ja", "zh-hans")
    ]


@pytest.mark.parametrize("export", EXPORTS)
def test_the_export_is_unchanged(tmp_path, export):
    fiscal_year, language = export.removeprefix("fy").split("-", 1)
    write_csv_files(fiscal_year=int(fiscal_year), language=language, directory=tmp_path)
    expected = sorted(path.name for path in (GOLDEN / export).glob("*.csv"))
    assert sorted(path.name for path in tmp_path.iterdir()) == expected
    for name in expected:
        written = (tmp_path / name).read_bytes()
        assert written == (GOLDEN / export / name).read_bytes(), (export, name)
