"""Each cell expression of foundation/cells.py and the export's CSV field, on
awkward values: formula starts, quotes, CR/LF, empty translations, open
periods, places of every naming rule. Each is compared with what Python
writes for the same value (modeltranslation's attribute, date_format,
full_name(), csv.writer), so that the brochure's declarations, written once
in SQL, say what the rest of the site says."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.db.models import OuterRef, Value
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from clair_portal.features.brochure import csv_sql
from clair_portal.features.brochure.export import write_csv_files
from clair_portal.features.brochure.sections import (
    LANGUAGE_CODES,
    SECTIONS_BY_NAME,
    published_jet_figures,
)
from clair_portal.foundation import cells
from clair_portal.foundation.csv_files import escape_formula
from clair_portal.foundation.languages import LIST_SEPARATOR
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
)
from exchange.models import CookingMenuItem, MediaCollaboration, TravelExpo
from jet.models import ReturneeGathering
from tests import factories
from tests.brochure.conftest import read_csv

pytestmark = pytest.mark.django_db

AWKWARD = [
    "",
    "plain",
    "=SUM(A1)",
    "+81 3",
    "-5℃の北京",
    "@市長",
    "\t通訳",
    "\r先頭",
    "'引用符で始まる",
    'ホール"A", 2階',
    "一行目\n二行目",
    "一行目\r\n二行目",
    "末尾\r\n",
    "-12",
    "+3.5",
    "注記, 続き",
]


def cell_of(queryset, expression):
    [value] = queryset.annotate(cell=expression).values_list("cell", flat=True)
    return value


@pytest.fixture
def places():
    province = factories.ChineseProvinceFactory(kind="province")
    municipality = factories.ChineseProvinceFactory(kind="municipality")
    return {
        "prefecture": factories.JapanesePrefectureFactory(code="990000"),
        "chinese_city": factories.ChineseCityFactory(province=province),
        "municipality": municipality,
        "city_of_municipality": factories.ChineseCityFactory(province=municipality),
    }


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize("ja", ["", "日本語", "=1+1", '"引用"\r\n'])
@pytest.mark.parametrize("zh_hans", ["", "中文"])
def test_a_translated_cell_reads_as_modeltranslation_does(language, ja, zh_hans):
    expo = factories.TravelExpoFactory(name_ja=ja, name_zh_hans=zh_hans)
    with translation.override(language):
        expected = TravelExpo.objects.get(pk=expo.pk).name or ""
        rows = TravelExpo.objects.filter(pk=expo.pk)
        assert cell_of(rows, cells.translated("name")) == expected


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize(
    ("start", "end"),
    [
        (None, None),
        (datetime.date(2040, 6, 1), None),  # open: one day
        (datetime.date(2040, 6, 1), datetime.date(2040, 6, 1)),
        (datetime.date(2040, 6, 1), datetime.date(2040, 12, 31)),
        (datetime.date(2040, 12, 31), datetime.date(2041, 1, 2)),
    ],
)
def test_dates_and_periods_are_written_as_django_writes_them(language, start, end):
    gathering = factories.ReturneeGatheringFactory(start_date=start, end_date=end)
    rows = ReturneeGathering.objects.filter(pk=gathering.pk)
    with translation.override(language):
        if start is None:
            expected = ""
        elif end is None or end == start:
            expected = date_format(start)
        else:
            expected = gettext("%(start)s – %(end)s") % {
                "start": date_format(start),
                "end": date_format(end),
            }
        assert cell_of(rows, cells.period("start_date", "end_date")) == expected
        written = cell_of(rows, cells.date("start_date"))
        assert written == (date_format(start) if start else None)


def test_a_date_format_becomes_a_to_char_pattern():
    assert cells.to_char_pattern("Y年n月j日") == 'YYYY"年"FMMM"月"FMDD"日"'
    assert cells.to_char_pattern(r"d.m.Y \o\f") == 'DD"."MM"."YYYY" ""o""f"'
    with pytest.raises(ValueError, match="'F'"):
        cells.to_char_pattern("j F Y")


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_place_names_are_their_full_names(language, places):
    prefecture = places["prefecture"]
    japanese = [
        prefecture,
        factories.JapaneseCityFactory(
            code="990100", kind="designated_city", prefecture=prefecture
        ),
        factories.JapaneseCityFactory(code="990200", prefecture=prefecture),
        factories.JapaneseCityFactory(
            code="990300", prefecture=prefecture, name_zh_hans=""
        ),
    ]
    with translation.override(language):
        for place in japanese:
            place = JapaneseLocalGovernment.objects.get(pk=place.pk)
            rows = JapaneseLocalGovernment.objects.filter(pk=place.pk)
            assert cell_of(rows, cells.japanese_name()) == place.full_name()
        for name in ("chinese_city", "municipality", "city_of_municipality"):
            place = ChineseLocalGovernment.objects.get(pk=places[name].pk)
            expo = factories.TravelExpoFactory(city=place)
            rows = TravelExpo.objects.filter(pk=expo.pk)
            assert cell_of(rows, cells.chinese_name("city")) == place.full_name()
        gathering = factories.ReturneeGatheringFactory(city=None)
        rows = ReturneeGathering.objects.filter(pk=gathering.pk)
        assert cell_of(rows, cells.chinese_name("city")) == ""


def test_lists_skip_empty_names_and_join_the_others():
    event = factories.CookingEventFactory()
    for position, (ja, zh_hans) in enumerate(
        [("", ""), ("肉じゃが, 大盛り", ""), ('"寿司"', "寿司"), ("=天ぷら", "")]
    ):
        factories.CookingMenuItemFactory(
            event=event, name_ja=ja, name_zh_hans=zh_hans, position=position
        )
    dishes = CookingMenuItem.objects.filter(event=OuterRef("pk")).order_by("position")
    rows = type(event).objects.filter(pk=event.pk)
    with translation.override("zh-hans"):
        menu = cell_of(rows, cells.joined(dishes, cells.translated("name")))
    assert menu == LIST_SEPARATOR.join(["肉じゃが, 大盛り", "寿司", "=天ぷら"])
    nothing = dishes.filter(position=999)
    assert cell_of(rows, cells.joined(nothing, cells.translated("name"))) == ""


def test_a_choice_is_its_label_and_an_unknown_value_itself():
    collaboration = MediaCollaboration.objects.create(
        fiscal_year=2040, kind="lecture", title_ja="講演", position=1
    )
    rows = MediaCollaboration.objects.filter(pk=collaboration.pk)
    choices = MediaCollaboration.Kind.choices
    with translation.override("ja"):
        expected = str(MediaCollaboration.Kind("lecture").label)
        assert cell_of(rows, cells.choice("kind", choices)) == expected
    MediaCollaboration.objects.filter(pk=collaboration.pk).update(kind="other=1")
    assert cell_of(rows, cells.choice("kind", choices)) == "other=1"


def test_a_count_is_a_number_even_of_nothing():
    expo = factories.TravelExpoFactory()
    rows = TravelExpo.objects.filter(pk=expo.pk)
    partners = JapaneseLocalGovernment.objects.filter(travelexpo=OuterRef("pk"))
    assert cell_of(rows, cells.count(partners)) == 0
    expo.partners.set([factories.JapanesePrefectureFactory(code="990000")])
    assert cell_of(rows, cells.count(partners)) == 1


def python_csv_field(value: str) -> str:
    """The field as Python writes it: escape_formula, then csv.writer (in a
    line of two fields: a lone empty field is written "")."""
    line = io.StringIO()
    csv.writer(line).writerow([escape_formula(value), "next"])
    return line.getvalue().removesuffix(",next\r\n")


@pytest.mark.parametrize("value", AWKWARD)
def test_a_text_field_is_guarded_and_quoted_as_python_writes_it(value):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {csv_sql.csv_field('v', text=True)} FROM (SELECT %s::text v) t",
            [value],
        )
        [(field,)] = cursor.fetchall()
    assert field == python_csv_field(value)


def test_a_number_field_is_written_as_it_is():
    assert csv_sql.csv_field("c", text=False) == "c"


def test_the_published_jet_figures_are_the_editions_own_else_the_newest():
    fy = factories.FISCAL_YEAR
    own = factories.BrochureEditionFactory(year=fy + 1)
    older = factories.BrochureEditionFactory(year=fy - 5)
    newer = factories.BrochureEditionFactory(year=fy + 3)
    factories.JetFigureFactory(edition=older, fiscal_year=fy)
    reported = factories.JetFigureFactory(edition=newer, fiscal_year=fy)
    factories.JetFigureFactory(edition=newer, fiscal_year=fy + 2)
    published = published_jet_figures(Value(fy))
    assert list(published) == [reported]
    figure = factories.JetFigureFactory(edition=own, fiscal_year=fy - 1)
    assert list(published_jet_figures(Value(fy))) == [figure]


def test_the_awkward_year_reads_in_a_spreadsheet_as_printed(tmp_path, awkward_year):
    """The whole export of a year of awkward values: each cell as the page
    shows it, kept as text."""
    for language in LANGUAGE_CODES:
        write_csv_files(
            fiscal_year=awkward_year,
            language=language,
            directory=tmp_path / language,
        )
    _header, [expo] = read_csv(tmp_path / "ja" / "travel_expos.csv")
    assert expo[0] == "'=SUM(A1)" and expo[2] == 'ホール"A", 2階'
    assert expo[1] == f"{awkward_year}年6月1日"
    _header, [example] = read_csv(tmp_path / "ja" / "support_examples.csv")
    assert example[1:4] == ["", "'-5℃の北京", "'@市長"]
    assert example[4] == "'\t通訳"
    _header, [livestream] = read_csv(tmp_path / "ja" / "livestreams.csv")
    assert livestream[1] == "抖音\r\n"
    _header, [report] = read_csv(tmp_path / "zh-hans" / "seminar_of_the_year.csv")
    assert "None" not in report
    assert report[5] == "クレア"  # the empty name left out, Japanese as fallback
    assert report[11] == ""  # participants from China unknown: no total
    header, figures = read_csv(tmp_path / "ja" / "summary.csv")
    assert len(header) == 5  # the notes for staff are not printed
    by_label = {figure[0]: figure for figure in figures}
    assert by_label["在中国自治体事務所"][4] == '\'=版, "引用"'
    assert by_label["友好都市提携"][4] == '\'=版, "引用"'
    _header, figures = read_csv(tmp_path / "zh-hans" / "summary.csv")
    assert {figure[4] for figure in figures if figure[4]} == {'\'=版, "引用"'}
    section = SECTIONS_BY_NAME["support_figures"]
    _header, support = read_csv(tmp_path / "ja" / section.filename)
    assert [row[1:] for row in support] == [
        ["活動支援", "7", "0"],
        ["海外事情調査", "", "1"],
    ]


def test_the_public_downloads_are_made_from_the_same_columns(
    client, tmp_path, awkward_year
):
    """The exchange page's travel expo CSV (every year) and the brochure's
    (one year) share their name, venue and city columns: same labels, same
    cells, the same formula guard and quoting."""
    write_csv_files(fiscal_year=awkward_year, language="ja", directory=tmp_path)
    brochure_header, [brochure] = read_csv(tmp_path / "travel_expos.csv")
    response = client.get("/ja/exchange/travel-expos.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    public_header, *rows = list(csv.reader(io.StringIO(text)))
    [public] = [row for row in rows if row[0] == str(awkward_year)]
    assert public[1] == brochure[0] == "'=SUM(A1)"
    assert public[4] == brochure[2] == 'ホール"A", 2階'
    assert public[5] == brochure[3]
    assert public[2:4] == [f"{awkward_year}-06-01", f"{awkward_year}-06-01"]
    assert [public_header[i] for i in (1, 4, 5)] == brochure_header[:1] + (
        brochure_header[2:4]
    )
    # A dish without a name in either language is left out of both lists.
    _header, [event] = read_csv(tmp_path / "cooking_events.csv")
    response = client.get("/ja/exchange/cooking-events.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    [public] = [
        row for row in csv.reader(io.StringIO(text)) if row[0] == str(awkward_year)
    ]
    assert public[-1] == event[-1] == "'+α"
