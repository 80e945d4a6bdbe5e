import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection

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


@pytest.fixture
def awkward_year():
    """FY2040 with text that needs quoting, guarding or a fallback, empty
    cells, one-day and open periods, and places of every naming rule."""
    fy = factories.FISCAL_YEAR
    day = datetime.date(fy, 6, 1)
    edition = factories.BrochureEditionFactory(
        year=fy + 1, title_ja='=版, "引用"', title_zh_hans=""
    )
    factories.KeyFigureFactory(
        edition=edition, staff_note_ja='注記, "引用"', staff_note_zh_hans=""
    )
    factories.KeyFigureFactory(
        edition=edition, metric="offices_in_china", value=60, staff_note_ja="=1+1"
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
    factories.SupportRequestFactory(
        fiscal_year=fy, kind="overseas_research", status="arranging"
    )
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
        fiscal_year=fy,
        host=designated,
        sending_government=chinese_city,
        staff_note_ja="",
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
