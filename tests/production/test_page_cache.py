"""The page cache as production runs it: gunicorn's two workers, each with its
own cache, must never serve a page from before the latest committed change."""

import re

import pytest
from django.db import connection

from seminars.models import Seminar
from tests.factories import SeminarFactory
from tests.production.conftest import PASSWORD, form_fields

# Enough requests to reach both workers.
REQUESTS = 8


@pytest.fixture
def portal(serve, transactional_db):
    """A server of these tests' own, with the page cache on (production's
    default, said aloud): the flush after each transactional test makes new
    content types, which the workers of a shared server would have cached."""
    return serve(PAGE_CACHE="1")


def served(client, path):
    return [client.get(path).body for _ in range(REQUESTS)]


def update_without_triggers(seminar, **fields):
    """Change the row behind the portal's back (replica mode skips triggers),
    as if the page cache were never told: what is then served is the cache."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            Seminar.objects.filter(pk=seminar.pk).update(**fields)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def test_an_edit_in_the_admin_is_served_at_once_by_every_worker(portal, make_staff):
    seminar = SeminarFactory(theme_ja="元のテーマ", theme_zh_hans="原来的主题")
    visitor = portal.client()
    ja, zh = f"/ja/seminars/{seminar.edition}/", f"/zh-hans/seminars/{seminar.edition}/"
    assert all("元のテーマ" in body for body in served(visitor, ja))
    assert all("原来的主题" in body for body in served(visitor, zh))

    # Served from the cache: a worker that has the page keeps serving it when
    # the triggers did not see a change (a worker without it renders afresh).
    update_without_triggers(seminar, theme_ja="見えないテーマ")
    assert any("元のテーマ" in body for body in served(visitor, ja))

    make_staff("editor", superuser=True)
    staff = portal.client()
    assert staff.sign_in("editor", PASSWORD).status == 302
    change_url = f"/admin/seminars/seminar/{seminar.pk}/change/"
    edited = {"theme_ja": "新しいテーマ", "theme_zh_hans": "新的主题"}
    fields = [
        (name, edited.get(name, value))
        for name, value in form_fields(staff.get(change_url).body, "seminar_form")
    ]
    assert staff.post_form(change_url, [*fields, ("_save", "Save")]).status == 302

    assert all("新しいテーマ" in body for body in served(visitor, ja))
    assert all("新的主题" in body for body in served(visitor, zh))


def test_a_browser_revalidates_its_copy_with_the_etag(portal):
    seminar = SeminarFactory()
    visitor = portal.client()
    path = f"/ja/seminars/{seminar.edition}/"
    first = visitor.get(path)
    etag = first.header("ETag")
    assert first.status == 200 and etag
    assert "no-cache" in first.header("Cache-Control")

    again = visitor.get(path, headers={"If-None-Match": etag})
    assert (again.status, again.body) == (304, "")

    Seminar.objects.filter(pk=seminar.pk).update(theme_ja="改めたテーマ")
    changed = visitor.get(path, headers={"If-None-Match": etag})
    assert changed.status == 200
    assert changed.header("ETag") != etag
    assert "改めたテーマ" in changed.body


def page_token(body):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def test_a_cached_form_gives_each_visitor_a_token_of_their_own(portal):
    first, second = portal.client(), portal.client()
    pages = [client.get("/ja/support/request/") for client in (first, second, second)]
    assert all(page.status == 200 for page in pages)
    # A copy of a form is not to be revalidated: its token may have expired.
    assert not any(page.header("ETag") for page in pages)
    tokens = [page_token(page.body) for page in pages]
    assert len(set(tokens)) == 3
    assert first.cookies["csrftoken"] != second.cookies["csrftoken"]

    # The token in the (cached) page passes the CSRF check: the form answers
    # with its own errors, not with 403.
    origin = f"https://127.0.0.1:{portal.port}"
    answer = second.request(
        "POST",
        "/ja/support/request/",
        body=f"csrfmiddlewaretoken={tokens[2]}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/ja/support/request/",
        },
    )
    assert answer.status == 200
    assert 'aria-invalid="true"' in answer.body or "errorlist" in answer.body
