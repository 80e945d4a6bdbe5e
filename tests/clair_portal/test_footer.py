"""Every page's footer: each office's contact as the newest edition printed
it, read from the database with a query compiled once per process."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clair_portal.foundation.models import OfficeContact

pytestmark = pytest.mark.django_db


def footer(client, path):
    return client.get(path).content.decode().split('<footer class="site-footer">')[1]


@pytest.mark.parametrize(
    "language, beijing",
    [
        ("ja", "日本国自治体国際化協会 北京事務所"),
        ("zh-hans", "日本国自治体国际化协会 北京事务所"),
    ],
)
def test_the_footer_prints_each_office_in_the_page_language(client, language, beijing):
    html = footer(client, f"/{language}/privacy/")
    assert beijing in html
    assert "〒100022" in html
    assert "〒102-0083" in html
    assert 'href="mailto:clairbj-jp@clair.org.cn"' in html
    assert '<a href="tel:+861065138791" class="nowrap">+86-(0)10-6513-8791</a>' in html
    assert html.index("100022") < html.index("102-0083")  # Beijing, then Tokyo


def test_a_new_edition_contact_replaces_the_footer_line(client):
    newest = OfficeContact.objects.current().get(site="beijing")
    newest.telephone = "+86-(0)10-0000-0000"
    newest.save()
    assert "+86-(0)10-0000-0000" in footer(client, "/ja/privacy/")


def test_the_footer_is_one_query(client):
    client.get("/ja/privacy/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/ja/privacy/")
    footer_queries = [q for q in queries if "clair_portal_officecontact" in q["sql"]]
    assert len(footer_queries) == 1
