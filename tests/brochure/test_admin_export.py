"""The admin's "Export the brochure" page: the same CSV files as one ZIP."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse, reverse_lazy

from clair_portal.features.brochure.sections import SECTIONS
from tests import factories

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse_lazy("admin-brochure-export")


@pytest.fixture
def editor_client(client):
    user = factories.UserFactory()
    user.groups.set(Group.objects.filter(name="editors"))
    client.force_login(user)
    return client


def download(client, **query):
    response = client.get(EXPORT_URL, {"output": "zip", **query})
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content)


def test_the_zip_holds_the_same_files_as_the_command(editor_client, export):
    response, content = download(editor_client, fiscal_year=2018, language="ja")
    assert response["Content-Type"] == "application/zip"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="brochure-fy2018-ja.zip"'
    )
    directory, _output = export(2018, "ja")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names == [section.filename for section in SECTIONS]
        for name in names:
            data = archive.read(name)
            assert data.startswith(b"\xef\xbb\xbf"), name
            assert data == (directory / name).read_bytes(), name


def test_the_zip_in_chinese(editor_client):
    _response, content = download(editor_client, fiscal_year=2022, language="zh-hans")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = archive.read("cooking_events.csv").decode("utf-8-sig")
    assert text.splitlines()[0] == "日期,城市,合作地方政府,菜单"
    assert len(text.splitlines()) == 5


def test_the_form_offers_the_years_with_data(editor_client):
    response = editor_client.get(EXPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    choices = response.context["form"].fields["fiscal_year"].choices
    years = [year for year, _label in choices]
    assert years[:3] == [2022, 2019, 2018]
    assert 2020 not in years
    # Links to the newest printable brochure and PDF, in both languages.
    assert 'href="/ja/brochure/2022/"' in html
    assert 'href="/zh-hans/brochure/2022.pdf"' in html


def test_the_form_opens_the_printable_brochure_or_the_pdf(editor_client):
    response = editor_client.get(
        EXPORT_URL, {"fiscal_year": 2018, "language": "zh-hans", "output": "html"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/brochure/2018/"
    response = editor_client.get(
        EXPORT_URL, {"fiscal_year": 2018, "language": "ja", "output": "pdf"}
    )
    assert response["Location"] == "/ja/brochure/2018.pdf"


def test_a_year_without_data_is_not_a_choice(editor_client):
    response = editor_client.get(
        EXPORT_URL, {"fiscal_year": 2030, "language": "ja", "output": "zip"}
    )
    assert response.status_code == 200
    assert not response.streaming
    assert response.context["form"].errors["fiscal_year"]


def test_staff_without_the_permissions_are_refused(client):
    user = factories.UserFactory()
    user.groups.set(Group.objects.filter(name="support desk"))
    client.force_login(user)
    assert client.get(EXPORT_URL).status_code == 403


def test_visitors_are_sent_to_the_login(client):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_index_links_to_it(editor_client, client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert f'href="{EXPORT_URL}"' in html
    assert "Missing translations" in html or "未翻訳" in html  # kept as it was
    desk = factories.UserFactory()
    desk.groups.set(Group.objects.filter(name="support desk"))
    client.force_login(desk)
    assert (
        f'href="{EXPORT_URL}"'
        not in client.get(reverse("admin:index")).content.decode()
    )


def test_a_database_refusing_the_export_fails_before_the_download_starts(
    editor_client, without_temporary_tables
):
    """Not a truncated ZIP: the error is raised by the view, before any byte
    of the response (and logged, with the privilege to grant)."""
    with pytest.raises(ImproperlyConfigured, match="TEMPORARY privilege"):
        editor_client.get(
            EXPORT_URL, {"output": "zip", "fiscal_year": 2018, "language": "ja"}
        )
