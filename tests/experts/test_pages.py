"""The experts page, its dispatches CSV and the page on how to ask, in both languages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ExpertDispatchFactory, PhotoFactory

pytestmark = pytest.mark.django_db

BOM = "\ufeff".encode()
LANGUAGES = ["ja", "zh-hans"]


@pytest.mark.parametrize(
    ("language", "facts", "absent"),
    [
        (
            "ja",
            [
                "元栃木県職員",
                "河南省開封市",
                "山西省大同市",
                "吉林省",
                "環境保全",
                "2018年度",
            ],
            ["原栃木县职员"],
        ),
        (
            "zh-hans",
            [
                "原栃木县职员",
                "河南省开封市",
                "山西省大同市",
                "吉林省",
                "环境保护",
                "2018年度",
            ],
            ["元栃木県職員", "開封"],
        ),
    ],
)
def test_experts_page(client, language, facts, absent):
    response = client.get(f"/{language}/experts/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert '<span class="key-figure__value">101</span>' in html
    for fact in facts:
        assert fact in html, fact
    for text in absent:
        assert text not in html, text
    assert html.count("<caption id=") == 2  # FY2019 and FY2018
    assert html.count('<th scope="row">') == 6
    assert 'class="photo"' not in html  # the brochures' photos: no image yet
    assert '<ol class="steps">' in html
    assert f'href="/{language}/experts/request/"' in html
    assert f'href="/{language}/experts/dispatches.csv"' in html


def test_experts_page_lists_the_seven_fields(client):
    html = client.get("/zh-hans/experts/").content.decode()
    for field in ("农业", "林业", "环境保护", "土木", "城市规划", "医疗", "教育"):
        assert f"<li>{field}</li>" in html


def test_cumulative_count_adds_dispatches_after_the_published_figure(client):
    ExpertDispatchFactory()  # FY2040, after the figure's FY2019
    html = client.get("/ja/experts/").content.decode()
    assert '<span class="key-figure__value">102</span>' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_request_page(client, language):
    response = client.get(f"/{language}/experts/request/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'href="mailto:clairbj-jp@clair.org.cn?subject=' in html
    assert "+86-(0)10-6513-8791" in html
    assert '<ol class="steps">' in html
    assert f'href="/{language}/experts/"' in html
    assert html.count("<h1>") == 1


def test_csv(client):
    response = client.get("/zh-hans/experts/dispatches.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="dispatches.csv"'
    content = b"".join(response.streaming_content)
    assert content.startswith(BOM)
    text = content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 7
    assert "2018,2018-05-22,2018-05-29,河南省开封市,农业," in text
    assert "原栃木县职员" in text


def page_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_dispatches(client):
    client.get("/ja/experts/")  # warm the content-type cache
    before = page_queries(client, "/ja/experts/")
    for n in range(10):
        start = datetime.date(2030 + n % 3, 6, 1 + n)
        dispatch = ExpertDispatchFactory(start_date=start, fiscal_year=start.year)
        PhotoFactory.create_batch(2, subject=dispatch)
    assert page_queries(client, "/ja/experts/") == before
    assert page_queries(client, "/zh-hans/experts/") == before
