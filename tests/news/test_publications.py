"""Publications: their pages, the sitemap, and files only for those allowed."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from tests.factories import PublicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, language="ja", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_a_public_publication_is_listed_shown_and_downloads(client, language):
    publication = PublicationFactory()
    listing = client.get(url("publications:list", language)).content.decode()
    title = publication.title_ja if language == "ja" else publication.title_zh_hans
    assert title in listing
    page = client.get(url("publications:detail", language, pk=publication.pk))
    assert page.status_code == 200
    assert (
        url("publications:download", language, pk=publication.pk)
        in page.content.decode()
    )
    response = client.get(url("publications:download", language, pk=publication.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    # Under its title in the page's language, not the stored name.
    assert response["Content-Disposition"].endswith(f"''{quote(title)}.pdf")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 report"
    sitemap = client.get("/sitemap.xml").content.decode()
    assert url("publications:detail", language, pk=publication.pk) in sitemap


def test_a_staff_only_publication_is_not_for_the_public(client):
    publication = PublicationFactory(is_public=False)
    assert (
        publication.title_ja
        not in client.get(url("publications:list")).content.decode()
    )
    assert client.get(url("publications:detail", pk=publication.pk)).status_code == 404
    assert (
        client.get(url("publications:download", pk=publication.pk)).status_code == 404
    )
    sitemap = client.get("/sitemap.xml").content.decode()
    assert url("publications:detail", pk=publication.pk) not in sitemap
    search = client.get(url("search"), {"q": publication.title_ja}).content.decode()
    assert url("publications:detail", pk=publication.pk) not in search

    staff_without_permission = UserFactory(username="no-news")
    client.force_login(staff_without_permission)
    assert (
        client.get(url("publications:download", pk=publication.pk)).status_code == 404
    )

    editor = UserFactory(username="news-viewer")
    editor.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(editor)
    response = client.get(url("publications:download", pk=publication.pk))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_publication_whose_file_is_gone_answers_404(client):
    publication = PublicationFactory()
    publication.file.storage.delete(publication.file.name)
    assert (
        client.get(url("publications:download", pk=publication.pk)).status_code == 404
    )


def test_the_fiscal_year_follows_the_date():
    publication = PublicationFactory.build(date="2041-03-31", fiscal_year=None)
    import datetime

    publication.date = datetime.date(2041, 3, 31)
    publication.full_clean(exclude=["file"])
    assert publication.fiscal_year == 2040
