"""axe-core on every public page, in both languages, at 320, 390 and 1280 px.

Every rule of WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best
practices; any violation fails, whatever its impact. At 320 px the page must
reflow (WCAG 1.4.10: no sideways scrolling). Every result is written as JSON
under TEST_OUTPUT_DIR/browser/<viewport>/axe/, and each page's screenshot at
390 and 1280 px under TEST_OUTPUT_DIR/browser/<viewport>/pages/. When every
page has been checked at every width without a violation, the summary the
accessibility policy shows is written to
clair_portal/features/accessibility_results.json.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from playwright.sync_api import expect

from clair_portal.features import accessibility

from .conftest import DESKTOP, NARROW, PHONE

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_URL = "/__tests__/axe.min.js"  # AXE_SCRIPT, served by tests/browser/urls.py
AXE_TAGS = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22a",
    "wcag22aa",
    "best-practice",
]
STANDARD = "WCAG 2.0/2.1/2.2 A, AA"  # and axe's best practices: "best-practice" in tags
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "resultTypes": ["violations"],
}
WIDTHS = (NARROW, PHONE, DESKTOP)
SCREENSHOT_WIDTHS = {PHONE.name, DESKTOP.name}

# Every public page: (name, URL name, URL arguments, path under /<language>/).
PUBLIC_PAGES = [
    ("home", "home", {}, ""),
    ("seminars", "seminars:list", {}, "seminars/"),
    ("seminar-17", "seminars:detail", {"edition": 17}, "seminars/17/"),
    ("seminar-18", "seminars:detail", {"edition": 18}, "seminars/18/"),
    ("support", "support_requests:index", {}, "support/"),
    ("support-request", "support_requests:request", {}, "support/request/"),
    ("jet", "jet:index", {}, "jet/"),
    ("exchange", "exchange:index", {}, "exchange/"),
    ("experts", "experts:index", {}, "experts/"),
    ("experts-request", "experts:request", {}, "experts/request/"),
    ("office", "office", {}, "office/"),
    ("brochure-2018", "brochure:detail", {"fiscal_year": 2018}, "brochure/2018/"),
    ("brochure-2022", "brochure:detail", {"fiscal_year": 2022}, "brochure/2022/"),
    ("privacy", "privacy", {}, "privacy/"),
    ("accessibility", "accessibility", {}, "accessibility/"),
    ("sitemap", "sitemap", {}, "sitemap/"),
]
LANGUAGES = ["ja", "zh-hans"]

# What the whole run found, for the accessibility policy's summary.
RUN = {"checks": set(), "violations": 0, "axe": None, "rules": 0}


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
    """axe's violations of any impact on the open page and, at phone widths,
    sideways scrolling (WCAG 2.1 reflow, 1.4.10). Writes axe's whole result,
    and at 390 and 1280 px a screenshot, under TEST_OUTPUT_DIR/browser/."""
    if visitor.viewport.name in SCREENSHOT_WIDTHS:
        visitor.screenshot_as("pages", f"{language}-{name}")
    page = visitor.page
    # From the site's origin (tests/browser/urls.py): the pages' CSP allows no
    # inline script, and the check runs with the CSP in force.
    page.add_script_tag(url=AXE_URL)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    violations = results["violations"]
    RUN["axe"] = results["testEngine"]["version"]
    RUN["rules"] = page.evaluate("tags => axe.getRules(tags).length", AXE_TAGS)
    report = {
        "url": page.url,
        "axe": results["testEngine"]["version"],
        "tags": AXE_TAGS,
        "violations": violations,
        "incomplete": [
            {"id": item["id"], "impact": item["impact"], "nodes": len(item["nodes"])}
            for item in results["incomplete"]
        ],
    }
    visitor.output_path("axe", f"{language}-{name}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2)
    )

    where = f"{page.url} at {visitor.viewport.width}px"
    problems = [f"{where}: {describe(violation)}" for violation in violations]
    if visitor.viewport.is_mobile and visitor.has_horizontal_scroll():
        problems.append(
            f"{where}: reflow: the page is wider than the screen"
            f" ({visitor.page_width()}px at {visitor.viewport.width}px)"
        )
    RUN["violations"] += len(problems)
    return problems


def write_results_summary():
    """The accessibility policy's figures, once every page, language and width
    has been checked in this run with no violation."""
    expected = {
        (name, language, viewport.name)
        for name, *_rest in PUBLIC_PAGES
        for language in LANGUAGES
        for viewport in WIDTHS
    }
    if not expected <= RUN["checks"] or RUN["violations"]:
        return
    summary = {
        "tested_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "axe_version": RUN["axe"],
        "standard": STANDARD,
        "tags": AXE_TAGS,
        "pages": [path for *_rest, path in PUBLIC_PAGES],
        "languages": LANGUAGES,
        "widths": [viewport.width for viewport in WIDTHS],
        "checks": len(expected),
        "rules": RUN["rules"],
        "violations": 0,
    }
    accessibility.RESULTS_PATH.write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


@pytest.fixture(scope="module", autouse=True)
def results_summary():
    yield
    write_results_summary()


# Every width in one test: each live_server test reloads the brochures and
# flushes the database, which costs more than another viewport does.
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "name,url_name,kwargs,path",
    PUBLIC_PAGES,
    ids=[page[0] for page in PUBLIC_PAGES],
)
def test_public_page_has_no_accessibility_violation(
    request, open_visitor, language, name, url_name, kwargs, path
):
    if url_name == "seminars:detail":
        request.getfixturevalue("seminar_photo")  # a real <img> for axe to check
    url = page_url(language, url_name, kwargs, path)
    problems = []
    for viewport in WIDTHS:
        visitor = open_visitor(viewport)
        visitor.visit(url)
        problems += accessibility_problems(visitor, language, name)
        RUN["checks"].add((name, language, viewport.name))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_reflow_at_320px(open_visitor, language):
    """WCAG 1.4.10: at 320 CSS px every page is as wide as the screen, and no
    table cell is squeezed to a character per line."""
    visitor = open_visitor(NARROW)
    problems = []
    for name, url_name, kwargs, path in PUBLIC_PAGES:
        visitor.visit(page_url(language, url_name, kwargs, path))
        width = visitor.page_width()
        if width != NARROW.width:
            problems.append(f"{name}: {width}px wide at {NARROW.width}px")
        squeezed = visitor.page.evaluate(
            """() => [...document.querySelectorAll('td, th')]
                .filter(cell => cell.offsetParent && !cell.closest('.table--cards > thead')
                    && cell.textContent.trim().length > 2
                    && cell.getBoundingClientRect().width < 40)
                .map(cell => cell.textContent.trim().slice(0, 20))"""
        )
        if squeezed:
            problems.append(f"{name}: cells narrower than 40px: {squeezed[:5]}")
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


# The pages rendered without a request or the database, with their status:
# a server error, and a statement past DATABASE_STATEMENT_TIMEOUT.
ERROR_PAGES = [("500.html", 500), ("503.html", 503)]


def answer_with(status, body):
    """A Playwright route handler that answers with `status` and an HTML `body`."""

    def answer(route):
        route.fulfill(status=status, body=body, content_type="text/html; charset=utf-8")

    return answer


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_pages_are_accessible(open_visitor, phone, desktop, language):
    """The error pages as the server sends them (answered here in the
    browser, since nothing fails on purpose), with the site's stylesheet."""
    problems = []
    for viewport in (phone, desktop):
        visitor = open_visitor(viewport)
        for template, status in ERROR_PAGES:
            with translation.override(language):
                body = render_to_string(template)
            path = f"/{language}/error-page-{status}/"
            visitor.page.route(f"**{path}", answer_with(status, body))
            visitor.failed.clear()
            response = visitor.page.goto(path, wait_until="load")
            assert response.status == status
            # Everything the page loads (its stylesheet) answers.
            assert visitor.failed == [f"{status} {response.url}"]
            problems += accessibility_problems(visitor, language, f"error-{status}")
    assert not problems, "\n".join(problems)


def test_the_header_takes_at_most_a_quarter_of_a_phone(open_visitor):
    """The office's name, the language switch and the programs fit in a
    quarter of a 390 x 844 screen, on every page in both languages."""
    visitor = open_visitor(PHONE)
    heights = {}
    for language in LANGUAGES:
        for name, url_name, kwargs, path in PUBLIC_PAGES:
            visitor.visit(page_url(language, url_name, kwargs, path))
            heights[f"{language}/{name}"] = visitor.page.evaluate(
                "document.querySelector('.site-header').offsetHeight"
            )
    too_tall = {page: px for page, px in heights.items() if px > PHONE.height / 4}
    assert not too_tall, too_tall
    print("header heights at 390 px:", sorted(set(heights.values())))
