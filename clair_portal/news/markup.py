"""News texts: Markdown, made safe.

markdown-it-py (CommonMark, with tables) turns the text into HTML; nh3 (the
Rust sanitiser ammonia) then keeps only the tags and attributes below, and
links only to http(s) and mail addresses: whatever HTML or script an editor
pastes is removed, not run. Headings are h2 to h4 (# is an h2, under the
page's title). Images are not written in the text (an image reads as its alt text):
photos are attached with captions.

CommonMark's parser is built for crafted input: Python-Markdown, used before,
took more than ten minutes over 50,000 "[" and 100 s and 1.5 GB over a list
nested 2,000 deep. Texts are also bounded (MAX_TEXT_LENGTH): a longer one,
which the form refuses, is shown as plain paragraphs, never parsed.
"""

import functools
import html

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
MAX_TEXT_LENGTH = 10_000
# HTML is parsed as HTML, so that nh3 removes it (rather than showing it).
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")


# An item's page, the feeds and the search index read the same texts: each
# is parsed once per process (at most 10,000 characters x 256 texts).
@functools.lru_cache(maxsize=256)
def _html(text: str) -> str:
    if len(text) > MAX_TEXT_LENGTH:
        return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n"))
    tokens = _MARKDOWN.parse(text)
    for token in tokens:
        _fit_to_the_page(token)
    return _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})


def _fit_to_the_page(token) -> None:
    """A heading from h2 (# too: the page's title is its h1, and nh3
    removed an h1, running the heading into the text) to h4 (#### and
    deeper); an image, which the text may not hold, as its alt text (it
    vanished, alt and all)."""
    if token.type in ("heading_open", "heading_close"):
        token.tag = f"h{min(max(int(token.tag[1]), 2), 4)}"
    for child in token.children or ():
        if child.type == "image":
            child.type, child.tag = "text", ""
            child.content = child.content or "".join(
                grandchild.content for grandchild in child.children or ()
            )
            child.children = None


def render_markdown(text: str) -> SafeString:
    cleaned = nh3.clean(
        _html(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(_tables_in_boxes(cleaned))  # noqa: S308 - sanitised by nh3 above


def _tables_in_boxes(cleaned: str) -> str:
    """Each table in a box of its own that scrolls sideways, as the site's
    other tables (a table of six columns made a news page 796 px wide on a
    390 px phone). nh3 writes `<table>` without attributes."""
    opening = format_html(
        '<div class="table-wrap" tabindex="0" role="region" aria-label="{}"><table>',
        gettext("Table in the text"),
    )
    return cleaned.replace("<table>", opening).replace("</table>", "</table></div>")


def plain_text(text: str) -> str:
    """The text without its markup, for search and feeds' summaries."""
    stripped = nh3.clean(_html(text), tags=set(), attributes={})
    return html.unescape(stripped).strip()
