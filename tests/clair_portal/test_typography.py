"""The typography helper: each language's marks, set once for every template."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from clair_portal.foundation import typography


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ja", "綿陽市（四川省）"), ("zh-hans", "綿陽市（四川省）")],
)
def test_brackets_are_full_width_without_a_space(language, expected):
    with translation.override(language):
        assert "綿陽市" + typography.parenthesized("四川省") == expected
        assert typography.with_language_punctuation("綿陽市 (四川省)") == expected


def test_brackets_escape_their_content():
    assert typography.parenthesized("<b>") == "（&lt;b&gt;）"
    assert typography.parenthesized("") == ""


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ja", "福州市、2019年8月21日"), ("zh-hans", "福州市，2019年8月21日")],
)
def test_the_parts_of_a_phrase(language, expected):
    with translation.override(language):
        assert typography.phrase("福州市", "", "2019年8月21日") == expected


def test_listed_items_take_the_enumeration_comma_in_both_languages():
    for language in ("ja", "zh-hans"):
        with translation.override(language):
            assert typography.listed(["高山市", "名張市"]) == "高山市、名張市"


def test_the_colon_is_full_width():
    assert typography.labelled("TEL", "010") == "TEL：010"
    # A checkbox's label is a sentence: no "。：" in the error summary.
    assert (
        typography.labelled("同意します。", "送信するには同意してください。")
        == "同意します：送信するには同意してください。"
    )


def test_chinese_takes_the_middle_dot():
    with translation.override("zh-hans"):
        assert (
            typography.with_language_punctuation("协助开展交流活动・海外情况调查")
            == "协助开展交流活动·海外情况调查"
        )
    with translation.override("ja"):
        assert (
            typography.with_language_punctuation("活動支援・海外事情調査")
            == "活動支援・海外事情調査"
        )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1428, "1,428"), (379, "379"), ("1435", "1,435"), (None, ""), ("—", "—")],
)
def test_figures_have_thousands_separators(value, expected):
    assert typography.figure(value) == expected


@pytest.mark.parametrize(
    ("language", "name"), [("ja", "北京時間"), ("zh-hans", "北京时间")]
)
def test_times_are_named_beijing_time(language, name):
    moment = datetime.datetime(2024, 5, 1, 6, 30, tzinfo=datetime.UTC)
    with translation.override(language):
        html = typography.beijing_time(moment)
    assert f"（{name}）" in html
    assert "14:30" in html  # UTC+8
    assert 'datetime="2024-05-01T14:30:00+08:00"' in html


@pytest.mark.parametrize(
    ("number", "href"),
    [
        ("+86-(0)10-6513-8791", "tel:+861065138791"),
        ("+81-(0)3-5213-1730", "tel:+81352131730"),
        ("03-5213-1730", "tel:0352131730"),
    ],
)
def test_telephone_numbers_are_links(number, href):
    assert typography.tel_href(number) == href
    assert typography.tel_link(number) == (
        f'<a href="{href}" class="nowrap">{number}</a>'
    )


def test_templates_use_the_helper_through_filters_and_tags():
    template = Template(
        "{% load portal %}{{ n|figure }} {{ p|parenthesized }} "
        "{% phrase a b %} {% tel t %}"
    )
    with translation.override("zh-hans"):
        html = template.render(
            Context(
                {"n": 1428, "p": "四川省", "a": "福州市", "b": "2019年", "t": "010"}
            )
        )
    assert html == (
        '1,428 （四川省） 福州市，2019年 <a href="tel:010" class="nowrap">010</a>'
    )


DAYS = [
    datetime.date(1999, 1, 1),
    datetime.date(2018, 6, 15),
    datetime.date(2023, 12, 31),
    datetime.date(2040, 2, 29),
]


@pytest.mark.parametrize("language", ["ja", "zh-hans", "en"])
def test_dates_are_written_as_django_formats_them(language):
    """written_date's pattern (made once per language) writes what Django's
    date_format writes, letter by letter."""
    with translation.override(language):
        for day in DAYS:
            assert typography.written_date(day) == formats.date_format(
                day, "DATE_FORMAT"
            )
            assert typography.calendar_date(day) == (
                f'<time datetime="{day.isoformat()}" class="nowrap">'
                f"{formats.date_format(day, 'DATE_FORMAT')}</time>"
            )


def test_a_date_format_with_other_letters_is_left_to_django(monkeypatch):
    typography._day_pattern.cache_clear()
    monkeypatch.setattr(
        typography.formats,
        "get_format",
        lambda name, lang=None: r"D j \d\e M Y" if name == "DATE_FORMAT" else "",
    )
    monkeypatch.setattr(
        typography.formats, "date_format", lambda day, name: f"django {day}"
    )
    try:
        with translation.override("ja"):
            assert typography.written_date(DAYS[1]) == "django 2018-06-15"
    finally:
        typography._day_pattern.cache_clear()


@pytest.mark.parametrize(
    ("language", "expected"), [("ja", "2023年度"), ("zh-hans", "2023年度")]
)
def test_fiscal_years_are_named_in_the_language(language, expected):
    with translation.override(language):
        assert typography.fiscal_year(2023) == expected
        assert typography.fiscal_year(None) == ""
        assert (
            Template("{% load portal %}{{ 2023|fiscal_year }}").render(Context())
            == expected
        )


def test_a_place_kind_city_is_named_as_the_kind_not_as_a_column():
    """Place suggestions read "岐阜県高山市 都市": the kind shared its words with
    the "city" column header."""
    from django.utils import translation
    from django.utils.translation import gettext

    from clair_portal.foundation.models import (
        ChineseLocalGovernment,
        JapaneseLocalGovernment,
    )

    with translation.override("ja"):
        assert str(JapaneseLocalGovernment.Kind.CITY.label) == "市"
        assert str(ChineseLocalGovernment.Kind.CITY.label) == "市"
        assert gettext("city") == "都市"
    with translation.override("zh-hans"):
        assert str(JapaneseLocalGovernment.Kind.CITY.label) == "市"
        assert str(ChineseLocalGovernment.Kind.CITY.label) == "地级市"
