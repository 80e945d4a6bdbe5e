"""The support page, its figures and CSV, and the request page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clair_portal.foundation.models import JapaneseLocalGovernment
from support_requests.models import RequestKind, SupportRequest, SupportYearlyFigure
from support_requests.selectors import (
    FROM_PUBLISHED,
    FROM_REQUESTS,
    support_counts_by_year,
)
from tests.factories import PhotoFactory, SupportExampleFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db

BOM = "\ufeff".encode()
LANGUAGES = ["ja", "zh-hans"]
SERVICES = {
    "ja": [
        "訪問先や視察先の選定などの相談",
        "アポイントメントの取付け",
        "現地の状況などの説明",
        "北京事務所職員の同行",
        "イベントに対する人的支援",
        "事務所スペースやパソコンなどの貸出し",
    ],
    "zh-hans": [
        "商定拜访单位和考察地",
        "联系访问单位",
        "介绍当地情况",
        "北京事务所职员陪同拜访",
        "为活动提供人手帮助",
        "提供事务所的办公场地和电脑等",
    ],
}
TOTTORI = {
    "ja": [
        "日中第三国市場協力フォーラム参加に係る支援",
        "平井伸治鳥取県知事を代表とする訪中団",
    ],
    "zh-hans": [
        "参加中日第三方市场合作论坛的活动支持",
        "以鸟取县知事平井伸治为团长的访华团",
    ],
}


def row_cells(html, fiscal_year):
    """The data cells of the figures table's row for one fiscal year."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    for row in body.split("<tr>")[1:]:
        if f">{fiscal_year}年度</th>" in row:
            return re.findall(r"<td[^>]*>(.*?)</td>", row)
    raise AssertionError(f"no row for FY{fiscal_year}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_support_page(client, language):
    response = client.get(f"/{language}/support/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for service in SERVICES[language]:
        assert f"<li>{service}</li>" in html
    for fact in TOTTORI[language]:
        assert fact in html
    assert row_cells(html, 2018)[:2] == ["76", "3"]
    assert row_cells(html, 2022)[:2] == ["26", "—"]
    assert "<caption id=" in html
    assert html.count("<h1>") == 1
    assert '<ol class="steps">' in html
    # 2 examples' and 4 of the years, none with its image uploaded yet.
    assert html.count('class="photo"') == 0
    assert f'href="/{language}/support/request/"' in html
    assert f'href="/{language}/support/figures.csv"' in html


def test_other_language_is_absent(client):
    html = client.get("/zh-hans/support/").content.decode()
    assert "鳥取県知事" not in html
    html = client.get("/ja/support/").content.decode()
    assert "鸟取县知事" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_request_page(client, language):
    """The guidance of the former "how to apply" page, then the form."""
    response = client.get(f"/{language}/support/request/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'href="mailto:clairbj-jp@clair.org.cn?subject=' in html
    assert "+81-(0)3-5213-1730" in html  # CLAIR Tokyo
    assert '<ol class="steps">' in html
    assert html.index('<ol class="steps">') < html.index('<form id="request-form"')
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for n, service in enumerate(SERVICES[language]):
        assert f'<label for="id_services_{n}">{service}</label>' in html
    for autocomplete in ("name", "email", "tel"):
        assert f'autocomplete="{autocomplete}"' in html
    assert '<div class="form-hp" aria-hidden="true">' in html
    assert "css/forms.css" in html
    assert "<script>" not in html  # no inline script
    assert html.count("<h1>") == 1


def test_csv(client):
    response = client.get("/ja/support/figures.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="figures.csv"'
    content = b"".join(response.streaming_content)
    assert content.startswith(BOM)
    lines = content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("2022,26,,")
    assert lines[2].startswith("2018,76,3,")


def test_counts_of_the_published_years():
    rows = {row.fiscal_year: row for row in support_counts_by_year()}
    assert tuple(rows[2018]) == (2018, 76, 3, FROM_PUBLISHED)
    assert tuple(rows[2022]) == (2022, 26, None, FROM_PUBLISHED)


Status = SupportRequest.Status


def test_counts_come_from_the_requests_the_desk_took_up():
    """Only what the desk took up is the office's record: a request only sent
    (anyone may send the form) raised the published figure at once."""
    SupportRequestFactory(fiscal_year=2026, status=Status.ARRANGING)
    SupportRequestFactory(fiscal_year=2026, status=Status.COMPLETED)
    SupportRequestFactory(
        fiscal_year=2026, kind=RequestKind.OVERSEAS_RESEARCH, status=Status.IN_PROGRESS
    )
    for status in (Status.RECEIVED, Status.CONSULTATION, Status.WITHDRAWN):
        SupportRequestFactory(fiscal_year=2026, status=status)
    SupportRequestFactory(fiscal_year=2026, status=Status.DECLINED)
    SupportRequestFactory(fiscal_year=2027, status=Status.RECEIVED)
    rows = support_counts_by_year()
    assert rows[0] == (2026, 2, 1, FROM_REQUESTS)
    assert [row.fiscal_year for row in rows] == [2026, 2022, 2018]


def test_a_year_with_requests_uses_the_requests():
    SupportRequestFactory(fiscal_year=2022, status=Status.IN_PROGRESS)
    rows = {row.fiscal_year: row for row in support_counts_by_year()}
    assert tuple(rows[2022]) == (2022, 1, 0, FROM_REQUESTS)


def test_page_shows_the_requests_of_a_year(client):
    SupportRequestFactory.create_batch(3, fiscal_year=2026, status=Status.COMPLETED)
    html = client.get("/ja/support/").content.decode()
    assert row_cells(html, 2026)[:2] == ["3", "0"]


def page_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_examples(client):
    client.get("/ja/support/")  # warm the content-type cache
    before = page_queries(client, "/ja/support/")
    kyoto = JapaneseLocalGovernment.objects.get(code="26")
    for n in range(10):
        example = SupportExampleFactory(fiscal_year=2030 + n % 4)
        example.governments.add(kyoto)
        PhotoFactory.create_batch(2, subject=example)
        SupportRequestFactory(fiscal_year=2030 + n)
    for fiscal_year in (2030, 2031):
        figure = SupportYearlyFigure.objects.create(
            fiscal_year=fiscal_year, kind=RequestKind.ACTIVITY_SUPPORT, count=5
        )
        PhotoFactory(subject=figure)
    assert page_queries(client, "/ja/support/") == before
    assert page_queries(client, "/zh-hans/support/") == before
