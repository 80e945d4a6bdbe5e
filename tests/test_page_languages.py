"""A Chinese page shows no Japanese text outside elements marked lang="ja".

Kana (hiragana and katakana) only occur in Japanese, so any kana left once the
elements marked as Japanese are removed is Japanese text shown as Chinese.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

# Hiragana, katakana and the long-vowel mark; not the middle dot (・), which
# Chinese text uses too.
KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]+")
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
PAGES = [
    ("home", {}),
    ("office", {}),
    ("seminars:list", {}),
    ("seminars:detail", {"edition": 17}),
    ("seminars:detail", {"edition": 18}),
    ("support_requests:index", {}),
    ("support_requests:request", {}),
    ("jet:index", {}),
    ("exchange:index", {}),
    ("experts:index", {}),
    ("experts:request", {}),
    ("brochure:detail", {"fiscal_year": 2018}),
    ("brochure:detail", {"fiscal_year": 2022}),
]


class TextOutsideJapanese(HTMLParser):
    """The page's text and attribute values, leaving out elements marked lang="ja"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # True for each open element inside a lang="ja" element
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        inside = bool(self.stack and self.stack[-1])
        lang = attributes.get("lang")
        japanese = lang.lower().startswith("ja") if lang is not None else inside
        if not japanese and tag != "html":
            for name in ("alt", "title", "aria-label", "content", "placeholder"):
                self.check(attributes.get(name) or "")
        if tag not in VOID:
            self.stack.append(japanese)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.check(data)

    def check(self, text):
        self.found.extend(KANA.findall(text))


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_chinese_page_has_no_unmarked_japanese(client, name, kwargs):
    with translation.override("zh-hans"):
        url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 200
    parser = TextOutsideJapanese()
    parser.feed(response.content.decode())
    assert parser.found == [], f"{url}: Japanese outside lang=ja: {parser.found[:10]}"
