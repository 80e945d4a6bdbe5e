"""Text as people type, paste or mail it, made safe to keep and show.

What a browser or a mail brings may hold characters that show nothing and
break what reads the text later: Word's line break (U+000B) and other
control characters, which XML (the news feed) and spreadsheets (the XLSX
export) refuse; line breaks in a one-line field, which forge lines of the
desk's plain-text mail ("電話番号: ..."); and the bidirectional overrides,
which reorder what follows them (a file "見積書\u202efdp.doc" reads
"見積書cod.pdf")."""

import re
import unicodedata

from django import forms
from django.db import models

# Word's Shift+Enter (U+000B), a page break (U+000C), the next-line control
# (U+0085) and Unicode's line and paragraph separators are line breaks: a
# mail program or str.splitlines() starts a new line at each.
_LINE_BREAKS = str.maketrans(
    {"\v": "\n", "\f": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
)
# Every C0 control but tab, LF and CR; DEL and the C1 controls; the
# bidirectional embeddings, overrides and isolates; the noncharacters
# (U+FFFE and U+FFFF make XML, the feed's and an XLSX sheet's, unreadable).
_UNSHOWN = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]"
)
_LINE_ENDS = re.compile(r"[\t\r\n]+")
# An extension written with a full-width dot or letters (．ｐｄｆ).
_FULL_WIDTH_EXTENSION = re.compile(
    r"(.*?)((?:\.|．)[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]{1,10})?$", re.S
)


def clean_text(text: str) -> str:
    """Text of several lines: its line breaks kept, what shows nothing gone."""
    return _UNSHOWN.sub("", text.translate(_LINE_BREAKS))


def clean_line(text: str) -> str:
    """One line (a name, a department): line breaks and tabs become a space.
    Other spaces, the ideographic space of 山田　太郎 among them, are kept."""
    return _LINE_ENDS.sub(" ", clean_text(text)).strip()


def clean_file_name(name: str, *, default: str = "file") -> str:
    """A file's name as it may be shown and kept: one line, without format
    characters (the zero-width ones too), its extension in plain letters (a
    name typed ｒｅｐｏｒｔ．ｐｄｆ is ｒｅｐｏｒｔ.pdf: it would download with no
    extension). Django has cut it to 255 characters, its extension kept."""
    name = "".join(
        character
        for character in clean_line(name)
        if unicodedata.category(character) not in ("Cc", "Cf")
    ).strip()
    stem, extension = _FULL_WIDTH_EXTENSION.match(name).groups()
    if extension:
        name = stem + unicodedata.normalize("NFKC", extension)
    return name or default


class LineField(forms.CharField):
    """A one-line text field: a crafted post's line breaks become spaces."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_line(value) if isinstance(value, str) else value


class TextField(forms.CharField):
    """A text field of several lines (a textarea)."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value).strip() if isinstance(value, str) else value


def plain_text_form_class(db_field) -> type[forms.Field] | None:
    """LineField for a plain CharField, TextField for a TextField (each
    language's field of a translated one too); None for any other field, and
    for fields with choices, addresses and slugs, which keep their own."""
    field = getattr(db_field, "translated_field", db_field)  # modeltranslation's
    if field.choices:
        return None
    if isinstance(field, models.TextField):
        return TextField
    if type(field) is models.CharField:
        return LineField
    return None


def plain_text_field_classes(model, names) -> dict[str, type[forms.Field]]:
    """A ModelForm's `field_classes` for `names` (plain_text_form_class)."""
    classes = {}
    for name in names:
        form_class = plain_text_form_class(model._meta.get_field(name))
        if form_class is not None:
            classes[name] = form_class
    return classes
