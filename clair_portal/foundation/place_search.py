"""Finding a place by part of its name, typed in Japanese or Chinese.

Names and what a person types are folded to one form: full-width forms and
half-width kana made plain (NFKC), hiragana made katakana, small ヶ made
ケ, and every Han character in its traditional form, as OpenCC converts it
alone (jp2t, then s2t): 鹿児島 and 鹿儿岛 both fold to 鹿兒島, and any part of
a name folds as it does inside the name. The characters OpenCC changes are
in place_fold.json, which refresh_places writes (place_lists.fold_table):
OpenCC's dictionaries take 0.2 s to load, which no request should wait for.
A place keeps its folded names in
its `search` column, each between separators (| around its own names and
reading, / around its names after its region's), so that a query can ask
for a name that is, starts with, or contains what was typed.
"""

import json
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

SEPARATOR = "|"
REGION_SEPARATOR = "/"
# Longer text than any place's name is cut: nothing longer can match.
MAX_QUERY_LENGTH = 50
FOLD_TABLE = Path(__file__).with_name("place_fold.json")

_KATAKANA = str.maketrans(
    {chr(code): chr(code + 0x60) for code in range(ord("ぁ"), ord("ゖ") + 1)}
    | {"ヶ": "ケ", "ヵ": "カ", SEPARATOR: "", REGION_SEPARATOR: ""}
)


@cache
def _han_forms() -> dict[int, str]:
    with FOLD_TABLE.open(encoding="utf-8") as file:
        return str.maketrans(json.load(file))


def fold(text: str) -> str:
    """The form in which names and queries are compared."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_KATAKANA)
    return text.translate(_han_forms())


def clean_query(text: str) -> str:
    """What a person typed, folded, without control characters, spaces or
    separators, at most MAX_QUERY_LENGTH characters."""
    text = "".join(
        character
        for character in str(text)[: MAX_QUERY_LENGTH * 4]
        if unicodedata.category(character)[0] not in "CZ"
    )
    return fold(text)[:MAX_QUERY_LENGTH]


def search_text(
    names: Sequence[str], region_names: Sequence[str] = (), reading: str = ""
) -> str:
    """The `search` column of a place: its names (one per language) and its
    reading, then its names after its region's (岐阜県高山市), folded."""
    own = dict.fromkeys(fold(name) for name in [*names, reading] if name)
    text = SEPARATOR + SEPARATOR.join(own) + SEPARATOR
    if region_names:
        full = dict.fromkeys(
            fold(region + name)
            for region, name in zip(region_names, names, strict=True)
            if name
        )
        text += REGION_SEPARATOR + REGION_SEPARATOR.join(full) + REGION_SEPARATOR
    return text
