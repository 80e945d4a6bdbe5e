"""What the public may not see yet (a draft, a staff-only publication's file)
against every role: the editors and superusers see it, nobody else."""

import pytest
from django.urls import reverse
from django.utils import translation

from clair_portal.news.models import NewsItem
from tests.factories import NewsItemFactory, PublicationFactory
from tests.roles import ROLES, login_as

pytestmark = pytest.mark.django_db

SEES_DRAFTS = {"editor", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_a_drafts_preview(client, role):
    draft = NewsItemFactory(status=NewsItem.Status.DRAFT, published_at=None)
    login_as(client, role)
    response = client.get(reverse("admin:news_newsitem_preview", args=[draft.pk, "ja"]))
    if role in SEES_DRAFTS:
        assert response.status_code == 200
        assert draft.title_ja in response.content.decode()
    else:
        assert response.status_code in ({302} if role == "anonymous" else {403, 404})
        assert draft.title_ja not in response.content.decode()
    with translation.override("ja"):
        public = client.get(reverse("news:detail", kwargs={"pk": draft.pk}))
    assert public.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_a_staff_only_publications_file(client, role):
    publication = PublicationFactory(is_public=False)
    login_as(client, role)
    with translation.override("ja"):
        response = client.get(
            reverse("publications:download", kwargs={"pk": publication.pk})
        )
    if role in SEES_DRAFTS:
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    else:
        assert response.status_code == 404
