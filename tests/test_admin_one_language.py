"""The Chinese admin is entirely Chinese and the Japanese admin entirely
Japanese: no page of the zh-hans admin shows kana outside an element marked
lang="ja" (the records' Japanese texts), and no page of the ja admin shows a
character only Simplified Chinese writes outside lang="zh-Hans"; the same for
the admin's JavaScript catalog (the widgets' strings)."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.test_admin import REGISTERED, admin_url, program_records  # noqa: F401

pytestmark = pytest.mark.django_db

# Hiragana and katakana, without the middle dot (・) both languages write.
KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30fa\u30fc-\u30ff]+")


def simplified_only(character):
    """A character of Simplified Chinese (GB 2312) that Japanese does not
    write (neither in Windows' JIS, cp932, nor in JIS X 0213, which holds the 圳
    of 深圳 and the 邢 of 邢台):
    们, 选, 择, 删, 办..."""
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return not any(_encodes(character, codec) for codec in ("cp932", "shift_jis_2004"))


def _encodes(character, codec):
    try:
        character.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


OTHER_LANGUAGE = {"zh-hans": ("ja", KANA), "ja": ("zh-hans", None)}


class TextOutsideOtherLanguage(HTMLParser):
    """The page's visible text (and attribute texts people read) outside
    elements whose lang is `other`, without scripts and styles."""

    VOID = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr",
    }  # fmt: skip
    READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "value")

    def __init__(self, other):
        super().__init__(convert_charrefs=True)
        self.other = other
        self.stack = []  # (tag, inside other language, skip)
        self.texts = []

    def _inside(self):
        return self.stack[-1][1] if self.stack else False

    def _skipped(self):
        return self.stack[-1][2] if self.stack else False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        inside = self._inside() or lang == self.other
        if lang and lang != self.other:
            inside = False
        skip = self._skipped() or tag in ("script", "style", "template")
        if not inside and not skip:
            for name in self.READ_ATTRIBUTES:
                if attrs.get(name) and not (
                    tag == "input" and name == "value" and attrs.get("type") == "hidden"
                ):
                    self.texts.append(f"<{tag} {name}> {attrs[name]}")
        if tag not in self.VOID:
            self.stack.append((tag, inside, skip))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _inside, _skip = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if data.strip() and not self._inside() and not self._skipped():
            self.texts.append(data.strip())


def foreign_texts(html, language):
    other, _ = OTHER_LANGUAGE[language]
    parser = TextOutsideOtherLanguage(other)
    parser.feed(html)
    if language == "zh-hans":
        return [text for text in parser.texts if KANA.search(text)]
    return [text for text in parser.texts if any(map(simplified_only, text))]


def admin_pages():
    pages = [
        reverse("admin:index"),
        reverse("admin-missing-translations"),
        reverse("admin:password_change"),
    ]
    for model in REGISTERED:
        pages.append(admin_url(model, "changelist"))
        model_admin = admin.site._registry[model]
        # django-import-export's pages, where the model has them.
        if hasattr(model_admin, "import_action"):
            pages.append(admin_url(model, "import"))
        if hasattr(model_admin, "export_action"):
            pages.append(admin_url(model, "export"))
    return pages


@pytest.mark.parametrize("language", ["zh-hans", "ja"])
def test_each_admin_page_speaks_one_language(
    admin_client,
    admin_user,
    rf,
    program_records,  # noqa: F811
    language,
):
    admin_client.cookies["django_language"] = language
    found = {}
    request = rf.get("/")
    request.user = admin_user
    urls = admin_pages()
    for model in REGISTERED:
        model_admin = admin.site._registry[model]
        if model_admin.has_add_permission(request):
            urls.append(admin_url(model, "add"))
        record = model._default_manager.first()
        urls.append(admin_url(model, "change", record.pk))
        # The change history (django-simple-history's page where it has one).
        urls.append(admin_url(model, "history", record.pk))
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        texts = foreign_texts(response.content.decode(), language)
        if texts:
            found[url] = texts
    javascript = admin_client.get(reverse("admin:jsi18n")).content.decode()
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', javascript)
    if language == "zh-hans":
        js = [s for s in strings if KANA.search(s.encode().decode("unicode_escape"))]
    else:
        js = [
            s
            for s in strings
            if any(map(simplified_only, s.encode().decode("unicode_escape")))
        ]
    if js:
        found["jsi18n"] = js[:10]
    unique = sorted({text for texts in found.values() for text in texts})
    assert not found, (
        "\n".join(unique)
        + "\n\n"
        + "\n".join(f"{url}: {texts[:3]}" for url, texts in found.items())
    )
