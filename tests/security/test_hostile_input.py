"""Hostile values in every query parameter of every public URL and admin
list, and in the path: a clear answer (200, 302, 400 or 404), never a 5xx.

NUL bytes (PostgreSQL refuses them in any text), digits of other scripts
("²" passes str.isdigit), numbers past bigint, very long values, markup,
SQL, right-to-left and CJK text.
"""

import csv
import io
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings, strategies

from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00",
    "1\x00",
    "\x1b[31m",
    "²",
    "١٢",
    "９",
    "-1",
    "0",
    "9" * 40,
    "1e309",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202eevil",
    "北京" * 2000,
    "%",
    "../../etc/passwd",
]
# Every public path, with the parameters it reads (a page number is tried on
# every page: the page cache and pagination must both ignore or refuse it).
PUBLIC_PATHS = {
    "/{lang}/": [],
    "/{lang}/seminars/": ["page", "fiscal_year", "province"],
    "/{lang}/seminars/17/": [],
    "/{lang}/seminars/seminars.csv": [],
    "/{lang}/support/": [],
    "/{lang}/support/request/": ["kind"],
    "/{lang}/support/figures.csv": [],
    "/{lang}/jet/": [],
    "/{lang}/jet/figures.csv": [],
    "/{lang}/exchange/": [],
    "/{lang}/exchange/lgotp.csv": [],
    "/{lang}/exchange/livestreams.csv": [],
    "/{lang}/experts/": [],
    "/{lang}/experts/request/": ["kind"],
    "/{lang}/experts/dispatches.csv": [],
    "/{lang}/office/": [],
    "/{lang}/brochure/2019/": [],
    "/{lang}/places/japan/": ["q"],
    "/{lang}/places/china/": ["q"],
    "/{lang}/privacy/": [],
    "/{lang}/accessibility/": [],
    "/{lang}/sitemap/": [],
    "/sitemap.xml": [],
    "/favicon.ico": [],
}


def no_server_error(client, url):
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    assert response.status_code < 500, f"{url} answered {response.status_code}"
    return response


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_public_pages_answer_every_hostile_parameter(anonymous, language):
    for path, names in PUBLIC_PATHS.items():
        path = path.format(lang=language)
        for value in HOSTILE:
            for name in [*names, "page"]:
                no_server_error(anonymous, f"{path}?{name}={quote(value)}")


@pytest.mark.parametrize(
    "path",
    [
        "/ja/support/track/x%00/",
        "/ja/support/track/%00/files/1/",
        "/ja/support/track/" + "A" * 5000 + "/",
        "/ja/support/track/北京/",
        "/ja/seminars/%00/",
        "/ja/seminars/99999999999999999999999/",
        "/ja/brochure/99999999999999999999/",
        "/ja/brochure/2019.pdf%00",
        "/%00/",
        "/ja/%E2%80%AE/",
    ],
)
def test_hostile_paths_are_a_clear_refusal(anonymous, path):
    response = no_server_error(anonymous, path)
    assert response.status_code in (400, 404)


def test_a_nul_byte_gets_the_portals_own_page_in_the_visitors_language(anonymous):
    response = anonymous.get("/zh-hans/seminars/?page=%00")
    assert response.status_code == 400
    assert '<html lang="zh-hans"' in response.content.decode()
    assert "请求无效" in response.content.decode()
    assert "无法直接使用此网址" in response.content.decode()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=strategies.sampled_from(
        ["/{lang}/seminars/", "/{lang}/support/request/", "/{lang}/places/japan/"]
    ),
    name=strategies.sampled_from(["page", "fiscal_year", "province", "kind", "q", "x"]),
    value=strategies.text(max_size=200),
)
def test_any_text_in_any_parameter(anonymous, path, name, value):
    no_server_error(anonymous, f"{path.format(lang='ja')}?{quote(name)}={quote(value)}")


def admin_lists():
    """Every registered model's changelist, with the parameters it reads."""
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        names = ["q", "p", "o", "e", "_to_field", "fiscal_year", "prefecture"]
        for entry in model_admin.list_filter:
            if isinstance(entry, str):
                names.append(entry)
            elif isinstance(entry, tuple):
                names.append(entry[0])
            else:
                names.append(entry.parameter_name)
        yield url, names


# For the admin: what a field's own check may let through to the database
# (a NUL is refused before any view, tests above).
ADMIN_HOSTILE = ["²", "9" * 40, "1e309", "' OR 1=1 --", "%", "\u202e", "北京" * 500]


def test_admin_lists_answer_every_hostile_parameter(client):
    client.force_login(factories.UserFactory(is_superuser=True))
    client.raise_request_exception = False
    for url, names in admin_lists():
        no_server_error(client, f"{url}?q=%00")
        for name in names:
            for value in ADMIN_HOSTILE:
                no_server_error(client, f"{url}?{name}={quote(value)}")
            no_server_error(client, f"{url}?{name}__exact=%C2%B2")


def test_public_csv_downloads_escape_formulas(anonymous):
    """A theme an editor imported as a formula comes out as text."""
    factories.SeminarFactory(
        edition=900,
        theme_ja='=HYPERLINK("http://evil.example/","詳細")',
        theme_zh_hans="+cmd|' /C calc'!A0",
    )
    for language, expected in [
        ("ja", '\'=HYPERLINK("http://evil.example/","詳細")'),
        ("zh-hans", "'+cmd|' /C calc'!A0"),
    ]:
        response = anonymous.get(f"/{language}/seminars/seminars.csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        (row,) = [row for row in rows if row[0] == "900"]
        assert row[3] == expected
        for cell in (cell for row in rows for cell in row):
            assert (
                not cell.startswith(("=", "+", "-", "@"))
                or cell.lstrip("+-").replace(".", "").isdigit()
            )
