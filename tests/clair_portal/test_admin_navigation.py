"""The admin's sidebar, written by a tag: the same markup as Django's
admin/app_list.html, for every role, page and language."""

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.contrib import admin
from django.template import Context, Engine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from clair_portal.foundation.templatetags.admin_navigation import admin_app_list
from tests.factories import UserFactory
from tests.roles import GROUP_OF_ROLE, ROLES

pytestmark = pytest.mark.django_db

SIGNED_IN_ROLES = [role for role in ROLES if role != "anonymous"]


def user_of(role):
    from django.contrib.auth.models import Group

    user = UserFactory(is_superuser=role == "superuser")
    if role in GROUP_OF_ROLE:
        user.groups.set(Group.objects.filter(name=GROUP_OF_ROLE[role]))
    return user


DJANGOS_APP_LIST = (
    Path(django.contrib.admin.__file__).parent / "templates/admin/app_list.html"
)


def djangos_app_list(context: dict) -> str:
    """Django's own admin/app_list.html (the portal's replaces it)."""
    template = Engine.get_default().from_string(DJANGOS_APP_LIST.read_text())
    return template.render(Context(context))


def normalized(html: str) -> str:
    """The markup without the whitespace between and around tags, which the
    template has for legibility and a browser ignores there."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
@pytest.mark.parametrize(
    "path",
    [
        reverse("admin:index"),
        reverse("admin:seminars_seminar_changelist"),
        reverse("admin:seminars_seminar_change", args=[1]),
        reverse("admin:support_requests_supportrequest_changelist") + "%E5%8C%97/",
    ],
    ids=["index", "list", "change", "quoted"],
)
@pytest.mark.parametrize("show_changelinks", [False, True])
def test_the_sidebar_equals_djangos_app_list(language, role, path, show_changelinks):
    request = RequestFactory().get(path)
    request.user = user_of(role)
    with translation.override(language):
        apps = admin.site.get_app_list(request)
        django_html = djangos_app_list(
            {"app_list": apps, "show_changelinks": show_changelinks, "request": request}
        )
        ours = admin_app_list({"request": request}, apps, show_changelinks)
    assert normalized(ours) == normalized(django_html)
    if role == "superuser":
        assert 'class="addlink"' in ours


def test_a_name_with_markup_is_escaped(rf):
    request = rf.get("/admin/")
    apps = [
        {
            "name": '<b>"&',
            "app_label": "x",
            "app_url": "/admin/x/",
            "models": [
                {
                    "name": "<i>",
                    "object_name": "Thing",
                    "admin_url": "/admin/x/thing/",
                    "add_url": None,
                    "view_only": True,
                }
            ],
        }
    ]
    html = admin_app_list({"request": request}, apps, True)
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;&quot;&amp;" in html
    assert normalized(html) == normalized(
        djangos_app_list(
            {"app_list": apps, "show_changelinks": True, "request": request}
        )
    )


def test_the_admin_pages_use_the_tag(admin_client):
    """Django's sidebar includes admin/app_list.html: the portal's, which calls
    the tag; the portal's index calls the tag itself."""
    response = admin_client.get(reverse("admin:seminars_seminar_changelist"))
    app_lists = [t for t in response.templates if t.name == "admin/app_list.html"]
    assert app_lists
    assert all("{% admin_app_list" in template.source for template in app_lists)
    assert 'class="model-seminar current-model"' in response.text
    index = admin_client.get(reverse("admin:index"))
    assert "{% admin_app_list" in index.templates[0].source
    assert 'class="changelink"' in index.text
