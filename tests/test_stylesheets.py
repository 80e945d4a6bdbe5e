"""The portal's own stylesheets parse as their authors meant: a block left
open (a merge once dropped the `}` of an @media print block) silently moved
every rule after it, the phone layout included, into print."""

import re
from pathlib import Path

import pytest
import tinycss2

STATIC = Path(__file__).resolve().parent.parent / "static"
STYLESHEETS = sorted(STATIC.rglob("*.css"))


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_every_block_closes_in_its_file(path):
    css = path.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    text = re.sub(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", "", text)
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{path.name}:{number}: a `}}` closes nothing"
    assert depth == 0, f"{path.name}: {depth} block(s) still open at the end"


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_no_rule_is_dropped_by_the_parser(path):
    rules = tinycss2.parse_stylesheet(
        path.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True
    )
    errors = [rule for rule in rules if rule.type == "error"]
    assert not errors, [(e.source_line, e.message) for e in errors]
