"""What the portal's two languages share in running text, and the order in
which a translated field's languages are read.

The languages themselves are settings.LANGUAGES; code reaches a translated
field's columns through modeltranslation (`get_translation_fields`,
`build_localized_fieldname`) or the helpers here, never by spelling a
language suffix."""

from functools import cache

from modeltranslation.utils import build_localized_fieldname, resolution_order
from modeltranslation.utils import get_language as portal_language

# Between the items of a list inside a text or a CSV cell: the enumeration
# comma, written the same in Japanese and in Chinese.
LIST_SEPARATOR = "、"


def columns_by_preference(
    field_name: str, language: str | None = None
) -> tuple[tuple[str, str], ...]:
    """(language, column) of a translated field, in the order its value is
    read: `language` (by default the active one, as modeltranslation resolves
    it: a language the portal lacks reads as Japanese) first, then
    modeltranslation's fallbacks. The value shown is the first filled one."""
    return _columns(field_name, resolution_order(language or portal_language()))


@cache
def _columns(field_name: str, codes: tuple[str, ...]):
    # Called for each translated value a page shows.
    return tuple((code, build_localized_fieldname(field_name, code)) for code in codes)


def first_filled(instance, field_name: str, language: str | None = None) -> str:
    """A translated field's value as `language` (by default the active one)
    reads it: its own, else the first filled fallback, else ''."""
    columns = columns_by_preference(field_name, language)
    return next(filter(None, (getattr(instance, c) for _l, c in columns)), "")
