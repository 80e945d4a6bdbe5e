"""export_brochure: one CSV per section of a fiscal year, as the brochure
prints it, in the chosen language, UTF-8 with BOM."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clair_portal.features.brochure.sections import SECTIONS
from tests import factories

from .conftest import read_csv

pytestmark = pytest.mark.django_db

FILES = sorted(section.filename for section in SECTIONS)


def column(path, name):
    header, rows = read_csv(path)
    return [row[header.index(name)] for row in rows]


def test_fiscal_year_2018_in_japanese(export):
    directory, _output = export(2018, "ja")
    assert sorted(path.name for path in directory.iterdir()) == FILES

    header, rows = read_csv(directory / "cooking_events.csv")
    assert header == ["日付", "都市", "協力自治体", "メニュー"]
    assert rows == [
        [
            "2018年9月15日",
            "上海市",
            "福島県",
            "喜多方ラーメンバーガー、こづゆ、モモと夏野菜のカブレーゼ、日本酒ジュレ&ユズゼリー",
        ],
        ["2018年10月27日", "上海市", "徳島県", "いり飯、でこまわし、出世いも"],
        [
            "2018年11月24日",
            "広東省深圳市",
            "茨城県",
            "納豆オムレツ、クリ御飯、レンコンコロッケ",
        ],
        [
            "2019年1月12日",
            "北京市",
            "沖縄県",
            "タコライス、塩クッキー、黒糖ショウガドリンク",
        ],
        [
            "2019年1月26日",
            "浙江省杭州市",
            "福岡県",
            "水炊き、明太卵焼き、焼きラーメン、抹茶アイス",
        ],
    ]

    assert column(directory / "travel_expos.csv", "名称") == [
        "北京国際旅游博覧会（BITE）",
        "天皇誕生日祝賀レセプション",
        "海南世界休閑旅游博覧会（ILTE）",
    ]
    header, rows = read_csv(directory / "expert_dispatches.csv")
    assert len(rows) == 4
    assert [row[header.index("派遣先")] for row in rows] == [
        "河南省開封市",
        "河南省開封市",
        "河南省開封市",
        "山西省大同市",
    ]
    assert rows[0][header.index("専門家")] == "元栃木県職員"

    header, rows = read_csv(directory / "seminar_of_the_year.csv")
    assert len(rows) == 1
    seminar = dict(zip(header, rows[0], strict=True))
    assert seminar["開催回"] == "17"
    assert seminar["開催都市"] == "四川省綿陽市"
    assert seminar["参加者"] == "147"
    assert "李白記念館" in seminar["プログラム"]

    assert column(directory / "seminars.csv", "開催回") == [
        str(n) for n in range(1, 18)
    ]
    header, rows = read_csv(directory / "support_figures.csv")
    published = header.index("支援実績（公表値）")
    assert [(row[1], row[published]) for row in rows] == [
        ("活動支援", "76"),
        ("海外事情調査", "3"),
    ]
    # Nothing of other years.
    assert read_csv(directory / "livestreams.csv")[1] == []
    assert read_csv(directory / "lgotp_placements.csv")[1] == []


def test_summary_has_the_headline_figures_with_their_dates(export):
    directory, _output = export(2018, "ja")
    header, rows = read_csv(directory / "summary.csv")
    assert header == ["指標", "数値", "年度", "基準日", "版"]  # no note for staff
    figures = {row[0]: row for row in rows}
    assert figures["友好都市提携"][1:4] == ["368", "", "2019年4月1日"]
    assert figures["在中国自治体事務所"][1] == "45"
    assert figures["中国からのJETプログラム参加者"][1] == "1435"
    assert figures["自治体職員協力交流事業（LGOTP）研修員"][1] == "514"
    assert figures["海外自治体幹部交流協力セミナー参加者"][1] == "135"
    assert figures["派遣専門家"][1] == "99"
    assert figures["日中地域間交流推進セミナー"][1] == "17"
    assert figures["活動支援"][1:3] == ["76", "2018"]
    assert figures["海外事情調査"][1] == "3"
    assert all(row[3] for row in rows), "every figure has its as-of date"


def test_fiscal_year_2022_in_chinese(export):
    directory, _output = export(2022, "zh-hans")
    header, rows = read_csv(directory / "cooking_events.csv")
    assert header == ["日期", "城市", "合作地方政府", "菜单"]
    assert [row[1] for row in rows] == [
        "上海市",
        "福建省厦门市",
        "广东省深圳市",
        "江苏省南京市",
    ]
    assert rows[1][2] == "长崎县、冲绳县"
    assert rows[0][3].startswith("酱油风味芋头煮")
    header, rows = read_csv(directory / "livestreams.csv")
    assert len(rows) == 6
    assert rows[0][header.index("地方政府")] == "三重县名张市、奈良县山添村"
    header, rows = read_csv(directory / "support_figures.csv")
    assert [row[2] for row in rows] == ["26"]
    assert rows[0][1] == "协助开展交流活动"
    header, _rows = read_csv(directory / "seminars.csv")
    assert header == ["届次", "年度", "举办城市", "主题"]
    assert "绵阳市" in (directory / "seminars.csv").read_text(encoding="utf-8-sig")
    summary = {row[0]: row[1] for row in read_csv(directory / "summary.csv")[1]}
    assert summary["友好城市缔结"] == "379"
    assert summary["来自中国的JET项目参加人员"] == "1428"


def test_fiscal_year_2019(export):
    directory, _output = export(2019, "ja")
    header, rows = read_csv(directory / "lgotp_placements.csv")
    assert len(rows) == 7
    assert [row[0] for row in rows][:2] == ["岩手県", "岐阜県高山市"]
    assert len(read_csv(directory / "expert_dispatches.csv")[1]) == 2
    header, rows = read_csv(directory / "seminar_of_the_year.csv")
    assert rows[0][header.index("開催回")] == "18"


def test_every_file_starts_with_the_bom(export):
    for fiscal_year, language in [(2018, "ja"), (2022, "zh-hans")]:
        directory, _output = export(fiscal_year, language)
        for path in directory.iterdir():
            assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name


def test_headers_follow_the_language(export):
    ja, _output = export(2018, "ja")
    zh, _output = export(2018, "zh-hans")
    for section in SECTIONS:
        header_ja, rows_ja = read_csv(ja / section.filename)
        header_zh, rows_zh = read_csv(zh / section.filename)
        assert len(header_ja) == len(header_zh)
        assert len(rows_ja) == len(rows_zh), section.name
        assert header_ja != header_zh, section.name
    assert read_csv(zh / "expert_dispatches.csv")[1][0][1] == "河南省开封市"


def test_the_command_shows_progress(export):
    _directory, output = export(2018, "ja")
    assert "cooking_events.csv: 5 rows" in output
    assert "seminar_of_the_year.csv: 1 row\n" in output
    assert "livestreams.csv: 0 rows" in output
    assert "\r" not in output  # plain lines when not on a terminal


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_progress_line_updates(export):
    _directory, output = export(2018, "ja", stdout=Terminal())
    assert "\rcooking_events.csv: 5 rows\x1b[K" in output


def test_a_year_without_data_writes_headers_and_says_so(tmp_path):
    stdout = io.StringIO()
    with pytest.raises(CommandError, match="No brochure data for FY2030"):
        call_command(
            "export_brochure",
            fiscal_year=2030,
            language="ja",
            output=tmp_path,
            stdout=stdout,
        )
    assert "cooking_events.csv: 0 rows" in stdout.getvalue()
    header, rows = read_csv(tmp_path / "cooking_events.csv")
    assert header == ["日付", "都市", "協力自治体", "メニュー"] and rows == []
    assert sorted(path.name for path in tmp_path.iterdir()) == FILES


def test_a_bad_language_is_refused(tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'en'"):
        call_command(
            "export_brochure", fiscal_year=2018, language="en", output=tmp_path
        )
    assert not any(tmp_path.iterdir())


def test_language_codes_are_normalised(export):
    directory, output = export(2022, "zh_Hans")
    assert "(zh-hans)" in output
    assert read_csv(directory / "cooking_events.csv")[0][3] == "菜单"


def test_requests_the_desk_took_up_are_counted(export):
    """As on the support page: a request anybody can send, still unanswered,
    declined or of another kind, is no figure of the office's."""
    for status in ("arranging", "completed", "received", "declined"):
        factories.SupportRequestFactory(
            fiscal_year=2018, kind="overseas_research", status=status
        )
    factories.SupportRequestFactory(
        fiscal_year=2018,
        kind="expert_dispatch",
        status="completed",
        government=None,
        chinese_government=factories.ChineseCityFactory(),
    )
    directory, _output = export(2018, "ja")
    header, rows = read_csv(directory / "support_figures.csv")
    taken_up = {
        row[1]: row[header.index("ポータル経由で事務所が対応した依頼")] for row in rows
    }
    assert taken_up == {"活動支援": "0", "海外事情調査": "2"}
    summary = {row[0]: row[1] for row in read_csv(directory / "summary.csv")[1]}
    assert summary["ポータル経由で事務所が対応した依頼（海外事情調査）"] == "2"
    assert not any(
        label.endswith("（自治体国際協力専門家派遣事業）") for label in summary
    )


def test_the_export_makes_the_same_queries_whatever_the_rows(export):
    """Every section comes from one streamed query: no query per row or per
    section."""

    def queries():
        with CaptureQueriesContext(connection) as captured:
            export(2018, "ja")
        return len(captured)

    queries()  # the connection's first export creates the query's function
    before = queries()
    day = datetime.date(2018, 6, 1)
    for _ in range(5):
        factories.TravelExpoFactory(fiscal_year=2018, start_date=day)
        factories.ReturneeGatheringFactory(fiscal_year=2018, start_date=day)
        factories.SupportRequestFactory(fiscal_year=2018)
    assert queries() == before == 2


def test_a_database_user_without_temporary_tables_is_told_what_is_missing(
    tmp_path, without_temporary_tables
):
    """A user who may not create the export's function (csv_sql.py) gets the
    privilege to ask for, not a traceback."""
    with pytest.raises(CommandError, match="needs the TEMPORARY privilege"):
        call_command(
            "export_brochure",
            fiscal_year=2018,
            language="ja",
            output=tmp_path,
            stdout=io.StringIO(),
        )
