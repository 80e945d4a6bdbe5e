"""The translation catalogs are whole: gettext compiles neither a fuzzy entry
(makemessages marks a new string so when it resembles an old one, with the
old one's translation) nor an empty one, and the page then shows the English."""

import subprocess

import pytest
from django.conf import settings

CATALOGS = sorted(
    path for directory in settings.LOCALE_PATHS for path in directory.rglob("*.po")
)


def entries(*options, catalog):
    output = subprocess.run(
        ["msgattrib", *options, "--no-wrap", str(catalog)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # The header (msgid "") is not an entry of its own.
    return [
        line.removeprefix("msgid ")
        for line in output.splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    ]


def test_there_are_catalogs_for_both_languages():
    languages = {path.parent.parent.name for path in CATALOGS}
    assert {"ja", "zh_Hans"} <= languages


@pytest.mark.parametrize(
    "catalog", CATALOGS, ids=[str(p.relative_to(settings.BASE_DIR)) for p in CATALOGS]
)
def test_no_entry_is_fuzzy_or_untranslated(catalog):
    assert entries("--only-fuzzy", catalog=catalog) == []
    assert entries("--untranslated", catalog=catalog) == []
