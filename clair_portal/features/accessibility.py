"""The latest automated accessibility results, for the accessibility policy.

tests/browser/test_accessibility.py writes them (axe-core on every public
page, both languages, three widths) to RESULTS_PATH when the whole run has
passed; the policy page shows the file as committed with the release.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

RESULTS_PATH = Path(__file__).parent / "accessibility_results.json"


@dataclass(frozen=True)
class AccessibilityResults:
    tested_at: datetime
    axe_version: str
    standard: str  # the standards' names, the same in every language
    best_practices: bool  # axe's best practices were checked too
    pages: int
    languages: list[str]
    widths: list[int]
    checks: int  # pages x languages x widths
    rules: int
    violations: int
    page_paths: list[str]


def latest_results(path: Path | None = None) -> AccessibilityResults | None:
    """The results the last complete test run wrote, or None before any."""
    try:
        data = json.loads((path or RESULTS_PATH).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return AccessibilityResults(
        tested_at=datetime.fromisoformat(data["tested_at"]),
        axe_version=data["axe_version"],
        standard=data["standard"],
        best_practices="best-practice" in data.get("tags", []),
        pages=len(data["pages"]),
        languages=data["languages"],
        widths=data["widths"],
        checks=data["checks"],
        rules=data["rules"],
        violations=data["violations"],
        page_paths=data["pages"],
    )
