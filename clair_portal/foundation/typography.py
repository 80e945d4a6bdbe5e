"""Japanese and Chinese typography, one rule per mark, for every template.

Each function sets text the way the active language's readers expect:
full-width brackets and colon, 、 between listed items, 、 (ja) or ，(zh)
between the parts of a phrase, ・ (ja) or · (zh) inside compound names,
thousands separators, times named as Beijing time, and telephone numbers as
tel: links. The template filters and tags of `portal` call these, so a
template never spells a mark itself.
"""

import re
from datetime import datetime
from functools import cache

from django.utils import formats, timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .languages import LIST_SEPARATOR

FULL_WIDTH_OPEN = "（"
FULL_WIDTH_CLOSE = "）"
FULL_WIDTH_COLON = "："
# Between the parts of a phrase (a place, a date): 、 in Japanese, ，in Chinese.
PHRASE_SEPARATORS = {"ja": LIST_SEPARATOR, "zh-hans": "，"}
# The dot inside a compound name: ・ in Japanese, the middle dot in Chinese.
MIDDLE_DOTS = {"ja": "・", "zh-hans": "·"}

_KATAKANA_MIDDLE_DOT = "・"
_HALF_WIDTH_BRACKETS = re.compile(r"\s*\(([^()]*)\)")


def _language() -> str:
    return translation.get_language() or "ja"


def _escaped(text) -> str:
    return str(conditional_escape(text))


def parenthesized(text) -> SafeString:
    """（text）, with full-width brackets and no space before them."""
    if text in (None, ""):
        return mark_safe("")
    return mark_safe(FULL_WIDTH_OPEN + _escaped(text) + FULL_WIDTH_CLOSE)


def labelled(label, value) -> SafeString:
    """label：value, with the full-width colon; a label that is a sentence (a
    checkbox's "…同意します。") loses its full stop before the colon."""
    return mark_safe(
        _escaped(label).rstrip("。.．") + FULL_WIDTH_COLON + _escaped(value)
    )


def listed(items) -> SafeString:
    """Items joined by 、 (enumeration comma), each escaped."""
    return mark_safe(LIST_SEPARATOR.join(_escaped(item) for item in items if item))


def list_separator() -> str:
    """What a template writes between the items of a list it loops over (links,
    places): 、 in both languages."""
    return LIST_SEPARATOR


def phrase(*parts) -> SafeString:
    """The parts of a phrase, joined by 、 in Japanese and ，in Chinese."""
    separator = PHRASE_SEPARATORS.get(_language(), LIST_SEPARATOR)
    return mark_safe(separator.join(_escaped(part) for part in parts if part))


def middle_dot() -> str:
    return MIDDLE_DOTS.get(_language(), _KATAKANA_MIDDLE_DOT)


def with_language_punctuation(text) -> SafeString:
    """A text in the active language's marks: in Chinese, the Japanese ・
    becomes ·, and half-width brackets (with the space before them) become
    full-width in both languages."""
    html = _escaped(text)
    if _language() != "ja":
        html = html.replace(_KATAKANA_MIDDLE_DOT, middle_dot())
    html = _HALF_WIDTH_BRACKETS.sub(
        lambda match: FULL_WIDTH_OPEN + match.group(1) + FULL_WIDTH_CLOSE, html
    )
    return mark_safe(html)


def period(start, end) -> SafeString:
    """Two dates (already set) as a period, as the brochure's cells write it."""
    # Translators: a period of days, e.g. 2018年6月15日～2018年6月17日.
    template = _escaped(gettext("%(start)s – %(end)s"))
    return mark_safe(template % {"start": _escaped(start), "end": _escaped(end)})


# Django's date formatting reads its format letter by letter for every date:
# 20 µs a date, most of a table of events. A format of years, months and days
# only (both languages' DATE_FORMAT: Y年n月j日) is turned once into a
# str.format pattern instead.
_DAY_PARTS = {"Y": "{0.year}", "n": "{0.month}", "j": "{0.day}"}
_DAY_ONLY_FORMAT = re.compile(r"[^A-Za-z\\{}]*(?:[Ynj][^A-Za-z\\{}]*)*")


@cache
def _day_pattern(language: str) -> str | None:
    """The language's DATE_FORMAT as a str.format pattern, or None when it
    uses more than Y, n and j (Django then formats the date)."""
    date_format = formats.get_format("DATE_FORMAT", language)
    if not _DAY_ONLY_FORMAT.fullmatch(date_format):
        return None
    return re.sub("[Ynj]", lambda letter: _DAY_PARTS[letter[0]], date_format)


def written_date(day) -> str:
    """A day as the language's DATE_FORMAT writes it (2018年6月15日)."""
    pattern = _day_pattern(_language())
    if pattern is None:
        return formats.date_format(day, "DATE_FORMAT")
    return pattern.format(day)


def written_period(start, end=None) -> str:
    """A start day, and the end day when it is another, as plain text, as a
    page writes them (2018年6月15日～2018年6月17日): for mail."""
    if not start:
        return ""
    if not end or end == start:
        return written_date(start)
    return period(written_date(start), written_date(end))


def calendar_date(day) -> SafeString:
    """A day as the language writes it, kept on one line, machine-readable:
    <time datetime="2018-06-15">2018年6月15日</time>."""
    if not day:
        return mark_safe("")
    return mark_safe(
        f'<time datetime="{day.isoformat()}" class="nowrap">'
        f"{_escaped(written_date(day))}</time>"
    )


def date_range(start, end=None) -> SafeString:
    """A start day, and the end day when it is another: 2018年6月15日～6月17日
    written as two dates (Django's formats have no short form per language)."""
    if not start:
        return mark_safe("")
    if end and end != start:
        # One element: in a card's grid cell, each loose piece of text would
        # take a cell of its own.
        return format_html(
            '<span class="date-range">{}</span>',
            period(calendar_date(start), calendar_date(end)),
        )
    return calendar_date(start)


def fiscal_year(year) -> str:
    """A fiscal year as the language names it: FY2023 -> 2023年度."""
    if year in (None, ""):
        return ""
    return gettext("FY%(year)s") % {"year": year}


def figure(value) -> str:
    """A count with thousands separators: 1428 -> 1,428 (both languages write
    Arabic figures with commas)."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


def beijing_time(moment: datetime) -> SafeString:
    """A moment in Beijing time, named: 2024年5月1日 14:30（北京時間）."""
    if moment is None:
        return mark_safe("")
    local = timezone.localtime(moment, timezone.get_fixed_timezone(8 * 60))
    # The date and the time apart (Django's Japanese DATETIME_FORMAT runs
    # them together: 2024年5月1日14:30).
    text = (
        formats.date_format(local, "DATE_FORMAT")
        + " "
        + formats.time_format(local, "TIME_FORMAT")
    )
    return format_html(
        '<time datetime="{}"><span class="nowrap">{}</span>{}</time>',
        local.isoformat(),
        text,
        parenthesized(gettext("Beijing time")),
    )


def tel_href(number: str) -> str:
    """tel:+861065138791 from +86-(0)10-6513-8791: the trunk 0 in brackets
    dropped, only the plus and digits kept."""
    number = re.sub(r"\(0\)", "", number or "")
    digits = re.sub(r"[^\d+]", "", number)
    return f"tel:{digits}"


def tel_link(number: str) -> SafeString:
    """A telephone number as a link a phone can call."""
    if not number:
        return mark_safe("")
    return format_html('<a href="{}" class="nowrap">{}</a>', tel_href(number), number)


def nowrap(text) -> SafeString:
    """A short piece that must not break inside (a date, a figure)."""
    if text in (None, ""):
        return mark_safe("")
    return format_html('<span class="nowrap">{}</span>', text)
