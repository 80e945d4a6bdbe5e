"""A news text is Markdown rendered on every view of the item and read for
the search: crafted text renders within bounds of time and memory, and a
text past the limit is refused by the form and never parsed."""

import time

import pytest
from django.core.exceptions import ValidationError

from clair_portal.news.markup import (
    MAX_TEXT_LENGTH,
    _html,
    plain_text,
    render_markdown,
)
from tests.bounds import MiB, measured
from tests.factories import NewsItemFactory


def fill(pattern: str) -> str:
    """`pattern` repeated up to the longest text the form accepts."""
    return (pattern * (MAX_TEXT_LENGTH // len(pattern) + 1))[:MAX_TEXT_LENGTH]


# Python-Markdown, before: 50,000 "[" took more than ten minutes; a list
# nested 2,000 deep 100 s and 1.5 GB, then RecursionError. markdown-it-py
# still takes 3.5 s over 20,000 characters of "[a](", hence the limit.
CRAFTED = {
    "brackets": fill("["),
    "unclosed links": fill("[a]("),
    "nested lists": "".join("  " * depth + "- x\n" for depth in range(97)),
    "quotes": fill(">"),
    "emphasis": fill("*a **a "),
    "html": fill("<div>"),
    "entities": fill("&#"),
    "reference links": fill("[a]: b\n[a]"),
    "wide table": fill("|" + "a|" * 300 + "\n|" + "-|" * 300 + "\n"),
}


@pytest.mark.parametrize("text", CRAFTED.values(), ids=CRAFTED.keys())
def test_crafted_text_renders_within_bounds(text):
    assert len(text) <= MAX_TEXT_LENGTH
    _html.cache_clear()
    with measured() as figures:
        html = render_markdown(text)
        plain_text(text)
    assert figures["seconds"] < 2.0, figures
    assert figures["peak"] < 64 * MiB, figures
    assert "<script" not in html


def test_a_longer_text_is_shown_as_paragraphs_without_parsing():
    text = "[" * (MAX_TEXT_LENGTH + 1) + "\n\n<b>二</b>"
    started = time.perf_counter()
    html = render_markdown(text)
    assert time.perf_counter() - started < 0.5
    assert html.startswith("<p>[[[") and html.endswith("<p>&lt;b&gt;二&lt;/b&gt;</p>")


@pytest.mark.django_db
def test_the_form_refuses_a_text_past_the_limit():
    item = NewsItemFactory(body_ja="あ" * (MAX_TEXT_LENGTH + 1))
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "body_ja" in refused.value.message_dict
