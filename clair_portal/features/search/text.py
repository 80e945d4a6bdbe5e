"""How text is searched: variant forms folded, CJK cut in overlapping pairs.

Japanese shinjitai, traditional and simplified characters (広島 / 廣島 /
广岛) are folded to one form, character by character, with OpenCC's tables:
Japanese to traditional (jp2t), then traditional to simplified (t2s). Width
and case are folded too (NFKC, lower case). Character by character, so that
the folded form of a part of a text is the part of the folded text: what a
query folds to is found wherever the text holds it.

The folded text is cut into words as clair_portal.foundation.text_index
cuts it: CJK runs in overlapping pairs (北京市 -> 北京 京市 市), so that
PostgreSQL's trigram index finds a query of two characters such as 北京.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from opencc import OpenCC

from clair_portal.foundation import text_index

# Longer queries are refused with a message: no title is this long, and each
# character costs the index work.
MAX_QUERY_LENGTH = 100
MAX_TERMS = 8


@functools.cache
def _converters():
    return OpenCC("jp2t"), OpenCC("t2s")


class _FoldTable(dict):
    """str.translate's table, filled as characters are first met."""

    def __missing__(self, code: int) -> str:
        text = unicodedata.normalize("NFKC", chr(code)).lower()
        japanese_to_traditional, traditional_to_simplified = _converters()
        folded = "".join(
            traditional_to_simplified.convert(japanese_to_traditional.convert(char))
            for char in text
        )
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """One form for the variants of a text: 廣島縣, 広島県 and 广岛县 -> 广岛县."""
    return text.translate(_FOLD)


def index_form(text: str) -> str:
    """The text folded, as the index holds it (text_index.index_form)."""
    return text_index.index_form(fold(text))


@dataclass(frozen=True)
class Term:
    """One word of a query: `pattern` is what the index form must contain,
    `folded` what the snippet marks."""

    folded: str
    pattern: str


def query_terms(query: str) -> list[Term]:
    """The words of a query, each as its index pattern; at most MAX_TERMS,
    none repeated. Punctuation and symbols separate words and are not
    searched (a query of nothing else has no terms)."""
    terms = {}
    for cjk, run in text_index.runs(fold(query)):
        # Otherwise a word's start: "jet" finds "jet" and "jets".
        pattern = text_index.cjk_pattern(run) if cjk else " " + run
        terms.setdefault(run, Term(run, pattern))
    return list(terms.values())[:MAX_TERMS]


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the
    character of `text` it comes from (NFKC may make one into several)."""
    folded, positions = [], []
    for index, char in enumerate(text):
        part = fold(char)
        folded.append(part)
        positions += [index] * len(part)
    return "".join(folded), positions


def snippet(text: str, terms: list[Term], width: int = 120) -> SafeString:
    """About `width` characters of `text` around the first term found, the
    terms marked (<mark>), escaped; the start of the text when none is in it."""
    folded, positions = _folded_with_positions(text)
    spans = []
    for term in terms:
        if not term.folded:
            continue
        for match in re.finditer(re.escape(term.folded), folded):
            start = positions[match.start()]
            end = positions[match.end() - 1] + 1
            spans.append((start, end))
    spans.sort()
    first = spans[0][0] if spans else 0
    # A third of the window before the first term, unless the window would
    # then run past the end (a title's window is its whole length).
    begin = max(0, min(first - width // 3, len(text) - width))
    end = min(len(text), begin + width)
    html, cursor = [], begin
    for start, stop in spans:
        if stop <= cursor or start >= end:
            continue
        start = max(start, cursor)
        stop = min(stop, end)
        html.append(escape(text[cursor:start]))
        html.append(f"<mark>{escape(text[start:stop])}</mark>")
        cursor = stop
    html.append(escape(text[cursor:end]))
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(html) + suffix)


def highlighted(text: str, terms: list[Term]) -> SafeString:
    """The whole of a short text (a title), its terms marked."""
    return snippet(text, terms, width=max(len(text), 1))
