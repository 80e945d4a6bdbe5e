"""axe-core on every public page, in both languages, at phone and desktop width.

Fails on any serious or critical violation of WCAG 2.0/2.1 A and AA, printing
each one's id, help and target nodes. Every result (all impacts) is written as
JSON under TEST_OUTPUT_DIR/browser/<viewport>/axe/, the page's screenshot
under .../pages/.
"""

import json
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from playwright.sync_api import expect

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_URL = "/__tests__/axe.min.js"  # AXE_SCRIPT, served by tests/browser/urls.py
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}

# Every public page: (name, URL name, URL arguments, path under /<language>/).
PUBLIC_PAGES = [
    ("home", "home", {}, ""),
    ("seminars", "seminars:list", {}, "seminars/"),
    ("seminar-17", "seminars:detail", {"edition": 17}, "seminars/17/"),
    ("support", "support_requests:index", {}, "support/"),
    ("support-request", "support_requests:request", {}, "support/request/"),
    ("jet", "jet:index", {}, "jet/"),
    ("exchange", "exchange:index", {}, "exchange/"),
    ("experts", "experts:index", {}, "experts/"),
    ("experts-request", "experts:request", {}, "experts/request/"),
    ("office", "office", {}, "office/"),
]
LANGUAGES = ["ja", "zh-hans"]


def page_url(language, url_name, kwargs, expected_path):
    """The page's URL by its name; a page that is missing fails, never skips."""
    with translation.override(language):
        try:
            url = reverse(url_name, kwargs=kwargs)
        except NoReverseMatch:
            pytest.fail(
                f"no URL named {url_name!r}: the public page /{language}/{expected_path} is missing"
            )
    assert url == f"/{language}/{expected_path}", f"{url_name} is at {url}"
    return url


def describe(violation):
    lines = [
        f"[{violation['impact']}] {violation['id']}: {violation['help']}"
        f" ({violation['helpUrl']})"
    ]
    for node in violation["nodes"]:
        target = " ".join(
            " > ".join(part) if isinstance(part, list) else part
            for part in node["target"]
        )
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        lines.append(f"    {target}\n      {node['html'][:160]}\n      {summary[:300]}")
    return "\n".join(lines)


def accessibility_problems(visitor, language, name):
    """axe's serious and critical violations on the open page and, at phone
    width, sideways scrolling (WCAG 2.1 reflow, 1.4.10). Writes axe's whole
    result and a screenshot under TEST_OUTPUT_DIR/browser/<viewport>/."""
    visitor.screenshot_as("pages", f"{language}-{name}")
    page = visitor.page
    # From the site's origin (tests/browser/urls.py): the pages' CSP allows no
    # inline script, and the check runs with the CSP in force.
    page.add_script_tag(url=AXE_URL)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    violations = results["violations"]
    report = {
        "url": page.url,
        "axe": results["testEngine"]["version"],
        "violations": violations,
        "incomplete": [
            {"id": item["id"], "impact": item["impact"], "nodes": len(item["nodes"])}
            for item in results["incomplete"]
        ],
    }
    visitor.output_path("axe", f"{language}-{name}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2)
    )

    where = f"{page.url} at {visitor.viewport.name} width"
    for violation in violations:  # every impact, in the captured output
        print(f"{where}: {describe(violation)}")
    problems = [
        f"{where}: {describe(v)}" for v in violations if v["impact"] in FAILING_IMPACTS
    ]
    if visitor.viewport.is_mobile and visitor.has_horizontal_scroll():
        problems.append(
            f"{where}: [serious] reflow: the page scrolls sideways"
            f" at {visitor.viewport.width}px"
        )
    return problems


# Both widths in one test: each live_server test reloads the brochures and
# flushes the database, which costs more than a second viewport does.
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "name,url_name,kwargs,path",
    PUBLIC_PAGES,
    ids=[page[0] for page in PUBLIC_PAGES],
)
def test_public_page_has_no_serious_accessibility_violation(
    request, open_visitor, phone, desktop, language, name, url_name, kwargs, path
):
    if url_name == "seminars:detail":
        request.getfixturevalue("seminar_photo")  # a real <img> for axe to check
    url = page_url(language, url_name, kwargs, path)
    problems = []
    for viewport in (phone, desktop):
        visitor = open_visitor(viewport)
        visitor.visit(url)
        problems += accessibility_problems(visitor, language, name)
    assert not problems, "\n".join(problems)


def test_seminar_filters_with_an_error_are_accessible(open_visitor, phone, desktop):
    """An invalid filter value marks the field aria-invalid, described by its error."""
    problems = []
    for viewport in (phone, desktop):
        visitor = open_visitor(viewport)
        visitor.visit("/ja/seminars/?province=999999")
        field = visitor.page.locator("#id_province")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", "id_province_error")
        expect(visitor.page.locator("#id_province_error")).to_be_visible()
        problems += accessibility_problems(visitor, "ja", "seminars-filter-error")
    assert not problems, "\n".join(problems)


# What a page shows only when years of records have piled up: the seminars'
# pager and the links to earlier fiscal years.
GROWN_PAGES = [
    ("seminars-page-2", "seminars/?page=2", "nav.pagination"),
    ("exchange-earlier-years", "exchange/", "nav.earlier-years"),
    ("jet-earlier-years", "jet/", "nav.earlier-years"),
    ("experts-earlier-years", "experts/", "nav.earlier-years"),
    ("support-earlier-years", "support/", "nav.earlier-years"),
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pager_and_earlier_years_are_accessible(open_visitor, phone, desktop, language):
    from clair_portal.features.load_data import generate_load_data

    generate_load_data(scale=3)
    problems = []
    for viewport in (phone, desktop):
        visitor = open_visitor(viewport)
        for name, path, navigation in GROWN_PAGES:
            visitor.visit(f"/{language}/{path}")
            expect(visitor.page.locator(navigation)).to_be_visible()
            problems += accessibility_problems(visitor, language, name)
    assert not problems, "\n".join(problems)
