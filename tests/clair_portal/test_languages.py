"""The order in which a translated field's languages are read."""

import pytest
from django.utils import translation

from clair_portal.foundation.languages import columns_by_preference, first_filled
from clair_portal.foundation.models import JapaneseLocalGovernment


@pytest.mark.parametrize(
    ("active", "expected"),
    [
        ("ja", (("ja", "name_ja"), ("zh-hans", "name_zh_hans"))),
        ("zh-hans", (("zh-hans", "name_zh_hans"), ("ja", "name_ja"))),
        # Languages the portal lacks read as Japanese, as modeltranslation's do.
        ("en", (("ja", "name_ja"), ("zh-hans", "name_zh_hans"))),
        ("zh-hant", (("ja", "name_ja"), ("zh-hans", "name_zh_hans"))),
        (None, (("ja", "name_ja"), ("zh-hans", "name_zh_hans"))),
    ],
)
def test_the_active_language_is_read_first(active, expected):
    if active is None:
        with translation.override(None):
            assert columns_by_preference("name") == expected
    else:
        with translation.override(active):
            assert columns_by_preference("name") == expected


def test_a_language_can_be_asked_for():
    with translation.override("ja"):
        assert columns_by_preference("name", "zh-hans")[0] == (
            "zh-hans",
            "name_zh_hans",
        )


def test_the_first_filled_value_is_read():
    place = JapaneseLocalGovernment(name_ja="", name_zh_hans="京都市")
    assert first_filled(place, "name", "ja") == "京都市"
    assert first_filled(place, "name", "zh-hans") == "京都市"
    place.name_ja = "京都市役所"
    assert first_filled(place, "name", "ja") == "京都市役所"
    assert first_filled(place, "name", "zh-hans") == "京都市"
    assert first_filled(JapaneseLocalGovernment(), "name", "ja") == ""
