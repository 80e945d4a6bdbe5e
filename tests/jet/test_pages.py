"""The JET Programme page, its chart and its open data, in both languages."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clair_portal.features import data_checks
from clair_portal.foundation.models import Photo
from clair_portal.foundation.selectors import RECENT_EDITIONS
from jet.charts import Series, bar_chart
from jet.checks import cumulative_falls, placement_mismatches
from jet.models import JetPlacement, Position
from jet.selectors import figure_tables
from tests.factories import (
    BrochureEditionFactory,
    JetFigureFactory,
    ReturneeGatheringFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["ja", "zh-hans"]
SVG = "{http://www.w3.org/2000/svg}"


def page(client, language):
    response = client.get(f"/{language}/jet/")
    assert response.status_code == 200
    return response.content.decode()


def svg_of(html):
    match = re.search(r"<svg\b.*?</svg>", html, re.DOTALL)
    assert match, "no inline SVG on the page"
    return ET.fromstring(match.group(0))


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_answers_in_its_language(client, language):
    html = page(client, language)
    assert f'<html lang="{language}">' in html
    assert html.count("<h1>") == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_figures_as_each_edition_published_them(client, language):
    html = page(client, language)
    # Both brochures write thousands with a comma, in Japanese and in Chinese.
    assert '<td class="number">1,435</td>' in html
    assert '<td class="number">1,428</td>' in html
    assert '<th scope="col"' in html
    assert '<th scope="row">' in html
    captions = re.findall(r"<caption[^>]*>(.*?)</caption>", html, re.S)
    assert captions
    for edition_year in ("2019", "2023"):
        assert any(f"{edition_year}年度版" in caption for caption in captions), captions
    assert '<td class="number">—</td>' in html  # "new" is not in every edition
    assert f'href="/{language}/jet/figures.csv"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_placements_under_the_tables(client, language):
    html = page(client, language)
    expected = {"ja": ["福井県", "政令指定都市"], "zh-hans": ["福井县", "政令指定城市"]}
    for placement in expected[language]:
        assert placement in html
    # Both brochures print the SEA line as "none serving" (2019 L315, 2023 L347).
    none = {"ja": "現役JETなし", "zh-hans": "无"}[language]
    sea = re.findall(r"<dt>SEA[^<]*</dt>\s*<dd>\s*([^<]*?)\s*</dd>", html)
    assert sea == [none, none], sea


@pytest.mark.parametrize("language", LANGUAGES)
def test_chart_is_accessible_svg_followed_by_its_table(client, language):
    html = page(client, language)
    svg = svg_of(html)
    assert svg.get("role") == "img"
    assert svg.get("viewBox")
    assert svg.get("width") is None
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text
    assert svg.find(f"{SVG}desc") is not None
    assert svg.get("aria-labelledby") == title.get("id")
    labels = [text.text for text in svg.iter(f"{SVG}text")]
    assert "1,435" in labels and "1,428" in labels
    assert '<figure class="chart">' in html
    after_chart = html.split("</figure>", 1)[1]
    assert after_chart.lstrip().startswith('<div class="table-wrap" tabindex="0"')
    assert '<caption id="jet-chart-data">' in after_chart.split("</table>", 1)[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_disagreements_between_editions_are_for_staff_only(client, language):
    """The figures are shown as published; where the editions disagree is a
    note for staff, which check_data reports, not the public page."""
    html = page(client, language)
    assert '<div class="note">' not in html
    for words in ("do not agree", "falls from", "adds up to", "一致しない", "不一致"):
        assert words not in html


def test_check_data_states_the_disagreements_of_the_figures():
    tables = figure_tables()
    findings = [str(finding) for finding in data_checks.jet_findings()]
    total = next(fall for fall in cumulative_falls(tables) if fall.is_total)
    assert (total.earlier.cumulative, total.later.cumulative) == (1435, 1428)
    mismatch = placement_mismatches(tables)[0]
    assert (mismatch.placed, mismatch.serving) == (20, 6)
    assert len(cumulative_falls(tables)) == sum(
        "cumulative" in f and "falls" in f for f in findings
    )
    assert len(placement_mismatches(tables)) == sum(
        "breakdown adds up" in f for f in findings
    )
    assert any(
        f"cumulative total falls from 1,435 (edition {total.earlier.edition.year}" in f
        for f in findings
    ), findings


@pytest.mark.parametrize(
    ("language", "name", "other"),
    [("ja", "綿陽", "绵阳"), ("zh-hans", "绵阳", "綿陽")],
)
def test_returnee_gathering_in_mianyang(client, language, name, other):
    html = page(client, language)
    gatherings = html.split("<article>", 1)[1]
    assert name in gatherings
    assert other not in html
    assert 'class="photos"' not in gatherings  # its photos have no image yet


@pytest.mark.parametrize("language", LANGUAGES)
def test_csv_has_every_figure(client, language):
    response = client.get(f"/{language}/jet/figures.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, figures = rows[0], rows[1:]
    assert len(header) == 6
    assert len(figures) == 8
    assert ["1435", "1428"] == [row[5] for row in figures if row[5] in ("1435", "1428")]


def test_chart_escapes_every_text():
    svg = bar_chart(
        title='Title <b>"&"</b>',
        description="<script>alert(1)</script>",
        categories=["<script>alert(2)</script>", "A & B\n'quoted'"],
        series=[Series("<i>name</i>", [3, None], colour='red" onload="x')],
        value_axis_label="<y>",
        category_axis_label="<x>",
        id_prefix='a"b',
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<i>" not in svg and "<b>" not in svg
    assert 'onload="x"' not in svg
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == 'Title <b>"&"</b>'
    assert root.find(f"{SVG}desc").text == "<script>alert(1)</script>"
    texts = "".join(root.itertext())
    assert "<script>alert(2)</script>" in texts
    assert "—" in texts  # a missing value is said, not drawn as zero


def test_chart_scales_and_labels_values():
    svg = bar_chart(
        title="t",
        description="d",
        categories=["2019", "2022"],
        series=[Series("cumulative", [1435, 1428]), Series("serving", [70, 29])],
        value_axis_label="participants",
        category_axis_label="fiscal year",
    )
    root = ET.fromstring(svg)
    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("width") is None and root.get("height") is None
    labels = [text.text for text in root.iter(f"{SVG}text")]
    for value in ("1,435", "1,428", "70", "29"):
        assert value in labels
    assert len(root.findall(f".//{SVG}rect")) == 4 + 2  # bars + legend swatches


def add_editions(count):
    """`count` more editions, each with a year of figures, placements and a
    returnee gathering with photos: what the page must show without more queries."""
    gathering_type = ContentType.objects.get_for_model(
        ReturneeGatheringFactory._meta.model
    )
    for _ in range(count):
        edition = BrochureEditionFactory()
        fiscal_year = edition.year - 1
        for position in Position:
            JetFigureFactory(
                edition=edition, fiscal_year=fiscal_year, position=position
            )
        for order, (ja, zh) in enumerate([("県", "县"), ("市町村", "市町村")]):
            JetPlacement.objects.create(
                edition=edition,
                fiscal_year=fiscal_year,
                position=Position.CIR,
                placement_ja=ja,
                placement_zh_hans=zh,
                count=5,
                sort_order=order,
            )
        gathering = ReturneeGatheringFactory(fiscal_year=fiscal_year)
        for position in range(2):
            Photo.objects.create(
                content_type=gathering_type,
                object_id=gathering.pk,
                caption_ja=f"写真{position}",
                caption_zh_hans=f"照片{position}",
                position=position,
            )


@pytest.mark.parametrize("extra_editions", [1, 20])
@pytest.mark.parametrize("language", LANGUAGES)
def test_query_count_does_not_grow_with_the_data(client, language, extra_editions):
    page(client, language)  # warm the content-type cache
    with CaptureQueriesContext(connection) as before:
        page(client, language)
    add_editions(extra_editions)
    with CaptureQueriesContext(connection) as after:
        html = page(client, language)
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]
    # One table per fiscal year of the newest editions, then the chart's data.
    assert html.count("<table>") == min(2 + extra_editions, RECENT_EDITIONS) + 1


def test_page_query_count(client, django_assert_num_queries):
    page(client, "ja")  # warm the content-type cache
    # intro, figures, placements, the gatherings' years, the older editions'
    # years, gatherings with cities, their photos, footer
    with django_assert_num_queries(8):
        page(client, "ja")
