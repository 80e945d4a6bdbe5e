"""One rule, one place: the languages are settings.LANGUAGES, and code reaches
a translated field's columns through modeltranslation (get_translation_fields,
build_localized_fieldname), never by spelling `_ja` / `_zh_hans` by hand.

Migrations and fixtures spell the columns (they are the columns); tests may.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE = ["clair_portal", "seminars", "support_requests", "jet", "exchange", "experts"]
CODE_FILES = ["manage.py", "gunicorn.conf.py", "bench", "load", "scripts"]
# Being rewritten now (issue 13, item 2): the brochure's section declarations.
# Remove it from this list once it lands.
BEING_REWRITTEN = [
    "clair_portal/features/brochure",
]

SUFFIX = re.compile(r"_(ja|zh_hans)\b")
SUFFIX_AT_END = re.compile(r"_(ja|zh_hans)$")


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes: prose may name the columns."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def suffix_spellings(source: str) -> list[tuple[int, str]]:
    """(line, what) for each language suffix spelled in `source`'s code: in a
    string (an f-string's parts too), an attribute or a keyword argument.
    Comments and docstrings are prose and not read."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and (
                SUFFIX.search(node.value) or node.value == "zh_hans"
            ):
                found.append((node.lineno, repr(node.value)))
        elif isinstance(node, ast.Attribute) and SUFFIX_AT_END.search(node.attr):
            found.append((node.lineno, f".{node.attr}"))
        elif (
            isinstance(node, ast.keyword)
            and node.arg
            and SUFFIX_AT_END.search(node.arg)
        ):
            found.append((node.lineno, f"{node.arg}="))
    return found


def code_files():
    skipped = {ROOT / path for path in BEING_REWRITTEN}
    for top in CODE + CODE_FILES:
        path = ROOT / top
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            parts = file.relative_to(ROOT).parts
            if "migrations" in parts or "fixtures" in parts:
                continue
            if any(file == s or s in file.parents for s in skipped):
                continue
            yield file


@pytest.mark.parametrize(
    "source",
    [
        'search_fields = ["theme", "host_city__name_ja"]',
        'fields = ("caption_zh_hans",)',
        'name = f"{field}_ja"',
        'for language in ("ja", "zh_hans"): pass',
        "key = count.location_ja or count.location_zh_hans",
        'Place(name_zh_hans="北京")',
    ],
)
def test_the_scan_sees_a_spelled_suffix(source):
    assert suffix_spellings(source)


@pytest.mark.parametrize(
    "source",
    [
        'search_fields = ["theme", *get_translation_fields("host_city__name")]',
        'LANGUAGE_CODE = "ja"',
        'def f():\n    """Reads name_ja, then name_zh_hans."""\n',
        "# the _ja and _zh_hans columns\nx = 1",
        'path = "locale/zh_Hans/LC_MESSAGES"',
        'japanese = "jam_jar"',
    ],
)
def test_the_scan_leaves_prose_and_language_codes(source):
    assert suffix_spellings(source) == []


def test_no_language_suffix_is_spelled_in_code():
    spelled = [
        f"{file.relative_to(ROOT)}:{line}: {what}"
        for file in code_files()
        for line, what in suffix_spellings(file.read_text())
    ]
    assert spelled == [], (
        "Use modeltranslation.utils.get_translation_fields / "
        "build_localized_fieldname over settings.LANGUAGES:\n" + "\n".join(spelled)
    )


def test_the_scan_reads_the_programs():
    scanned = {file.relative_to(ROOT).as_posix() for file in code_files()}
    assert {
        "seminars/admin.py",
        "support_requests/admin.py",
        "exchange/selectors.py",
        "clair_portal/foundation/related_rows.py",
        "clair_portal/features/data_checks.py",
    } <= scanned
    assert not any("migrations" in name for name in scanned)


# One definition each: the byte order mark and the writer of every streamed CSV
# (clair_portal.foundation.csv_files), the enumeration comma between list items
# (clair_portal.foundation.languages).
DEFINED_IN = {
    "\ufeff": "clair_portal/foundation/csv_files.py",
    "、": "clair_portal/foundation/languages.py",
    "csv.writer": "clair_portal/foundation/csv_files.py",
}
# The programs' CSV downloads are being rewritten over the brochure's section
# declarations (issue 13, item 2); exchange/views.py still defines its own
# LIST_SEPARATOR until then.
CSV_VIEWS_BEING_REWRITTEN = ["exchange/views.py"]


def definitions(source: str) -> set[str]:
    """Which of DEFINED_IN's values `source` spells as a whole string, or calls."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and node.value in DEFINED_IN:
            found.add(node.value)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and f"{node.value.id}.{node.attr}" in DEFINED_IN
        ):
            found.add(f"{node.value.id}.{node.attr}")
    return found


def test_the_definition_scan_sees_a_copy():
    source = 'SEP = "、"\nBOM = "\\ufeff"\nw = csv.writer(Echo())'
    assert definitions(source) == {"、", "\ufeff", "csv.writer"}


def test_csv_writer_bom_and_list_separator_are_defined_once():
    copies = [
        f"{file.relative_to(ROOT)}: {what!r}"
        for file in code_files()
        if file.relative_to(ROOT).as_posix() not in CSV_VIEWS_BEING_REWRITTEN
        for what in definitions(file.read_text())
        if file.relative_to(ROOT).as_posix() != DEFINED_IN[what]
    ]
    assert copies == [], "Import them from the foundation:\n" + "\n".join(copies)
    for what, home in DEFINED_IN.items():
        assert what in definitions((ROOT / home).read_text())


def template_files():
    yield from sorted((ROOT / "templates").rglob("*.html"))
    for top in CODE:
        yield from sorted((ROOT / top).rglob("templates/**/*.html"))


def test_no_language_suffix_is_spelled_in_templates():
    """A template shows a translated field with {% localized %}, and tests
    whether it has any language with `{% localized ... as name %}{% if name %}`."""
    spelled = [
        f"{file.relative_to(ROOT)}:{number}: {line.strip()}"
        for file in template_files()
        for number, line in enumerate(file.read_text().splitlines(), 1)
        if SUFFIX.search(line)
    ]
    assert len(list(template_files())) > 20
    assert spelled == [], "\n".join(spelled)
