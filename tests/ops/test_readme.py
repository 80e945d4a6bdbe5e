"""The README's "Environment variables" table lists every variable the
settings read, and nothing else."""

import ast
import re

from .helpers import ROOT


def variables_read_by_settings():
    tree = ast.parse((ROOT / "clair_portal" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = node.func
        is_env = (isinstance(function, ast.Name) and function.id == "env") or (
            isinstance(function, ast.Attribute)
            and isinstance(function.value, ast.Name)
            and function.value.id == "env"
        )
        first = node.args[0]
        if is_env and isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
    return names


def variables_in_readme():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Environment variables\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, re.MULTILINE))


def test_every_variable_of_the_settings_is_in_the_readme():
    read = variables_read_by_settings()
    assert "DATABASE_URL" in read and "SECRET_KEY" in read
    listed = variables_in_readme()
    assert read - listed == set(), "add these to the README's table"
    assert listed - read == set(), "the settings no longer read these"
