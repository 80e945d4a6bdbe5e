"""News texts: Markdown, made safe.

Python-Markdown turns the text into HTML; nh3 (the Rust sanitiser ammonia)
then keeps only the tags and attributes below, and links only to http(s)
and mail addresses: whatever HTML or script an editor pastes is removed, not
run. Images are not written in the text: photos are attached with captions.
"""

import html

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Headings in the text start at h2: the page's title is its h1.
EXTENSIONS = ["tables", "sane_lists"]


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text, extensions=EXTENSIONS, output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


def plain_text(text: str) -> str:
    """The text without its markup, for search and feeds' summaries."""
    stripped = nh3.clean(
        markdown.markdown(text, extensions=EXTENSIONS), tags=set(), attributes={}
    )
    return html.unescape(stripped).strip()
