"""The export's lines come from PostgreSQL (csv_sql.py); they must say exactly
what the printed brochure says (sections.py's rows, format_cell), written as
Python's csv.writer writes them: byte for byte, in both languages, for every
year of the brochures, of generated data and of awkward text."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from clair_portal.features.brochure import csv_sql
from clair_portal.features.brochure.export import BOM, write_csv_files
from clair_portal.features.brochure.sections import (
    LANGUAGE_CODES,
    SECTIONS,
    BrochureYear,
    available_fiscal_years,
    format_cell,
)
from clair_portal.features.load_data import generate_load_data
from exchange.models import (
    ChinaOfficeCount,
    ExecutiveSeminar,
    LivestreamPromotion,
    MediaCollaboration,
)
from jet.models import JetPlacement, Position
from seminars.models import SeminarOrganiser
from support_requests.models import SupportYearlyFigure
from tests import factories

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def printed_cell(value) -> str:
    """A cell as the printed brochure writes it, kept as text in a
    spreadsheet (a leading ' before what would run as a formula)."""
    text = format_cell(value)
    if not isinstance(value, int) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def expected_files(fiscal_year: int, language: str) -> dict[str, bytes]:
    """Each section's file, written in Python from the printed page's rows."""
    files = {}
    with translation.override(language):
        has_data = fiscal_year in available_fiscal_years()
        year = BrochureYear(fiscal_year)
        for section in SECTIONS:
            if section.declared:
                continue
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(section.header())
            if has_data:
                writer.writerows(
                    [printed_cell(value) for value in section.row(year, record)]
                    for record in section.records(year)
                )
            files[section.filename] = (BOM + text.getvalue()).encode()
    return files


def assert_same_as_printed(tmp_path, fiscal_years):
    compared = 0
    for language in LANGUAGE_CODES:
        for fiscal_year in fiscal_years:
            directory = tmp_path / f"{fiscal_year}-{language}"
            write_csv_files(
                fiscal_year=fiscal_year, language=language, directory=directory
            )
            for filename, expected in expected_files(fiscal_year, language).items():
                written = (directory / filename).read_bytes()
                assert written == expected, (fiscal_year, language, filename)
                compared += expected.count(b"\r\n") - 1
    return compared


def test_every_section_has_its_sql():
    assert list(csv_sql.SECTION_SQL) == [
        section.name for section in SECTIONS if not section.declared
    ]


def test_the_brochures_years_are_exported_as_printed(tmp_path):
    years = available_fiscal_years()
    assert len(years) >= 15
    rows = assert_same_as_printed(tmp_path, [*years, 2030])
    assert rows > 300  # both languages, the sections not declared yet


def test_generated_years_are_exported_as_printed(tmp_path):
    generate_load_data(scale=1)
    rows = assert_same_as_printed(tmp_path, available_fiscal_years())
    assert rows > 600  # the sections not declared yet


@pytest.fixture
def awkward_year():
    """FY2040 with text that needs quoting, guarding or a fallback, empty
    cells, one-day and open periods, and places of every naming rule."""
    fy = factories.FISCAL_YEAR
    day = datetime.date(fy, 6, 1)
    edition = factories.BrochureEditionFactory(year=fy + 1, title_zh_hans="")
    factories.KeyFigureFactory(edition=edition, note_ja='注記, "引用"', note_zh_hans="")
    factories.KeyFigureFactory(
        edition=edition, metric="offices_in_china", value=60, note_ja="=1+1"
    )
    ChinaOfficeCount.objects.create(
        edition=edition,
        location_ja="上海, 浦東",
        location_zh_hans="",
        count=3,
        position=1,
    )
    factories.JetFigureFactory(edition=edition, fiscal_year=fy, position=Position.TOTAL)
    factories.JetFigureFactory(edition=edition, fiscal_year=fy, cumulative=None)
    JetPlacement.objects.create(
        edition=edition,
        fiscal_year=fy,
        position=Position.CIR,
        placement_ja="県庁\n国際課",
        placement_zh_hans="县政府",
        count=2,
        sort_order=1,
    )
    prefecture = factories.JapanesePrefectureFactory(code="990000")
    designated = factories.JapaneseCityFactory(
        code="990100", kind="designated_city", prefecture=prefecture
    )
    city = factories.JapaneseCityFactory(code="990200", prefecture=prefecture)
    municipality = factories.ChineseProvinceFactory(kind="municipality")
    chinese_city = factories.ChineseCityFactory()
    seminar = factories.SeminarFactory(
        fiscal_year=fy,
        edition=999,
        start_date=day,
        end_date=None,
        participants_china=None,
        host_city=municipality,
        theme_zh_hans="",
    )
    for role, name in [
        (SeminarOrganiser.Role.ORGANISER, "クレア"),
        (SeminarOrganiser.Role.ORGANISER, ""),
        (SeminarOrganiser.Role.HOST, '"市"'),
    ]:
        factories.SeminarOrganiserFactory(
            seminar=seminar, role=role, name_ja=name, name_zh_hans=""
        )
    factories.SeminarProgrammeDayFactory(
        seminar=seminar, date=day, description_ja="", description_zh_hans=""
    )
    factories.SeminarProgrammeDayFactory(
        seminar=seminar,
        date=day + datetime.timedelta(days=1),
        description_ja="視察\n交流会",
    )
    SupportYearlyFigure.objects.create(fiscal_year=fy, kind="activity_support", count=7)
    factories.SupportRequestFactory(fiscal_year=fy, kind="overseas_research")
    example = factories.SupportExampleFactory(
        fiscal_year=fy,
        start_date=None,
        places_ja="-5℃の北京",
        participants_ja="@市長",
        support_content_ja="\t通訳",
    )
    example.governments.set([city, designated, prefecture])
    expo = factories.TravelExpoFactory(
        fiscal_year=fy,
        start_date=day,
        end_date=day,
        name_ja="=SUM(A1)",
        name_zh_hans="",
        venue_ja='ホール"A", 2階',
        city=chinese_city,
    )
    expo.partners.set([designated, prefecture])
    event = factories.CookingEventFactory(
        fiscal_year=fy, start_date=day, city=municipality
    )
    factories.CookingMenuItemFactory(
        event=event, name_ja="", name_zh_hans="", position=1
    )
    factories.CookingMenuItemFactory(event=event, name_ja="+α", position=2)
    livestream = LivestreamPromotion.objects.create(
        fiscal_year=fy,
        start_date=day,
        end_date=day + datetime.timedelta(days=2),
        platform_ja="抖音\r\n",
        platform_zh_hans="抖音",
    )
    livestream.governments.set([city])
    factories.ReturneeGatheringFactory(
        fiscal_year=fy, start_date=None, city=None, description_ja="一行目\n二行目"
    )
    factories.LgotpPlacementFactory(
        fiscal_year=fy, host=designated, sending_government=chinese_city, note_ja=""
    )
    executive = ExecutiveSeminar.objects.create(
        fiscal_year=fy,
        start_date=day,
        end_date=day + datetime.timedelta(days=5),
        theme_ja="地方創生",
        summary_ja="要旨, 続き",
    )
    executive.visited.set([prefecture, city])
    factories.ExpertDispatchFactory(fiscal_year=fy, destination=chinese_city)
    MediaCollaboration.objects.create(
        fiscal_year=fy,
        kind="lecture",
        title_ja="講演",
        detail_ja='"北京"大学',
        position=1,
    )
    return fy


def test_awkward_text_is_exported_as_printed(tmp_path, awkward_year):
    assert assert_same_as_printed(tmp_path, [awkward_year]) > 30
    # What the comparison covered, as a spreadsheet reads it.
    with (tmp_path / f"{awkward_year}-ja" / "travel_expos.csv").open(
        encoding="utf-8-sig", newline=""
    ) as stream:
        _header, expo = list(csv.reader(stream))
    assert expo[0] == "'=SUM(A1)" and expo[2] == 'ホール"A", 2階'
    assert expo[1] == f"{awkward_year}年6月1日"
    report = tmp_path / f"{awkward_year}-zh-hans" / "seminar_of_the_year.csv"
    assert "None" not in report.read_text(encoding="utf-8")


def test_a_date_format_becomes_a_to_char_pattern():
    assert csv_sql.to_char_pattern("Y年n月j日") == 'YYYY"年"FMMM"月"FMDD"日"'
    assert csv_sql.to_char_pattern(r"d.m.Y \o\f") == 'DD"."MM"."YYYY" ""o""f"'
    with pytest.raises(ValueError, match="'F'"):
        csv_sql.to_char_pattern("j F Y")


def test_the_query_is_planned_once_per_connection(tmp_path):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            write_csv_files(fiscal_year=2018, language="ja", directory=tmp_path)
        return [query["sql"] for query in captured]

    first, second = queries(), queries()
    assert sum("CREATE FUNCTION pg_temp." in sql for sql in first) == 1
    assert not any("CREATE FUNCTION" in sql for sql in second)
    assert len(second) == 2  # the function looked up, its lines streamed
