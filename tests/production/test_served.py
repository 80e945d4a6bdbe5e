"""The portal served by gunicorn with production settings (DEBUG=0, HTTPS=1),
as the TLS proxy in front of it passes requests on."""

import io
import json
import re
import time

from django.core.management import call_command
from django.db import connection

from load.form_fields import form_fields
from seminars.models import Seminar
from tests.factories import SeminarFactory
from tests.production.conftest import PASSWORD

ONE_YEAR = 60 * 60 * 24 * 365


def csp_directives(response):
    header = response.header("Content-Security-Policy")
    assert header, "no Content-Security-Policy"
    return {
        name: sources for name, *sources in (part.split() for part in header.split(";"))
    }


def assert_security_headers(response):
    directives = csp_directives(response)
    assert "'unsafe-inline'" not in response.header("Content-Security-Policy")
    assert directives["default-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert response.header("Referrer-Policy") == "same-origin"
    assert response.header("Cross-Origin-Opener-Policy") == "same-origin"
    assert response.header("X-Frame-Options") == "DENY"
    assert response.header("X-Content-Type-Options") == "nosniff"
    hsts = response.header("Strict-Transport-Security")
    assert hsts == f"max-age={ONE_YEAR}; includeSubDomains; preload"


def cookie_flags(set_cookie):
    return {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}


def max_age(response):
    match = re.search(r"max-age=(\d+)", response.header("Cache-Control") or "")
    assert match, f"no max-age in {response.header('Cache-Control')!r}"
    return int(match.group(1))


def test_a_public_page_has_the_security_headers(portal):
    SeminarFactory()
    for path in ("/ja/", "/zh-hans/seminars/"):
        response = portal.client().get(path)
        assert response.status == 200, path
        assert_security_headers(response)
        # Nothing on a public page needs a session or a form token.
        assert response.headers_named("Set-Cookie") == []


def test_the_admin_sign_in_has_the_security_headers_and_secure_cookies(
    portal, make_staff
):
    make_staff("clerk")
    client = portal.client()
    page = client.get("/admin/login/")
    assert page.status == 200
    assert_security_headers(page)
    assert {"secure", "httponly", "samesite"} <= cookie_flags(page.cookie("csrftoken"))

    signed_in = client.sign_in("clerk", PASSWORD)
    assert signed_in.status == 302
    assert signed_in.header("Location") == "/admin/"
    assert {"secure", "httponly", "samesite"} <= cookie_flags(
        signed_in.cookie("sessionid")
    )
    assert client.get("/admin/").status == 200


def test_plain_http_is_redirected_to_https(portal):
    response = portal.client().get("/ja/", https=False)
    assert response.status == 301
    assert response.header("Location") == f"https://127.0.0.1:{portal.port}/ja/"
    # The proxy's health check may ask over plain HTTP.
    assert portal.client().get("/healthz", https=False).status == 200


def test_hashed_static_files_are_cached_for_a_year(portal, static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    client = portal.client()
    for name in ("admin/css/base.css", "css/site.css"):
        hashed = client.get(f"/static/{manifest[name]}")
        assert hashed.status == 200, name
        assert max_age(hashed) >= ONE_YEAR
        assert "immutable" in hashed.header("Cache-Control")
        # Unhashed names may change content: a short cache only.
        assert max_age(client.get(f"/static/{name}")) < ONE_YEAR
    compressed = client.get(
        f"/static/{manifest['css/site.css']}", headers={"Accept-Encoding": "gzip"}
    )
    assert compressed.header("Content-Encoding") == "gzip"


def test_healthz_and_one_access_log_line_per_request(portal):
    response = portal.client(forwarded_for="203.0.113.20").get("/healthz")
    assert response.status == 200
    assert response.body == "ok"
    # gunicorn writes the line once the response is sent: give it a moment.
    deadline = time.monotonic() + 5
    while True:
        lines = [line for line in portal.access_lines() if "203.0.113.20" in line]
        if lines or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(lines) == 1
    assert '"GET /healthz HTTP/1.1" 200' in lines[0]


def test_healthz_is_503_while_the_database_is_unreachable(serve):
    portal = serve(DATABASE_URL="postgres://postgres@127.0.0.1:9/no_database")
    response = portal.client().get("/healthz")
    assert response.status == 503


def test_the_portal_reconnects_after_losing_its_database_connections(portal):
    """As after a database restart: the workers' persistent connections are
    cut; CONN_HEALTH_CHECKS replaces them before they fail a request."""
    SeminarFactory()
    client = portal.client()
    for _ in range(6):
        assert client.get("/ja/seminars/").status == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        (terminated,) = cursor.fetchone()
    assert terminated >= 1
    assert [client.get("/ja/seminars/").status for _ in range(6)] == [200] * 6


def test_five_failed_sign_ins_lock_that_user_at_that_address(portal, make_staff):
    make_staff("clerk")
    make_staff("colleague")
    attacker = portal.client(forwarded_for="203.0.113.7")
    statuses = [attacker.sign_in("clerk", "wrong password").status for _ in range(5)]
    # The form again with its error, until the fifth failure locks.
    assert statuses == [200, 200, 200, 200, 429]

    refused = attacker.sign_in("clerk", PASSWORD)
    assert refused.status == 429
    assert refused.cookie("sessionid") is None
    # It says that signing in is locked, for how long, and what to do; not
    # the admin's "no permission" of an empty app list.
    assert "30分間" in refused.body
    assert "管理者" in refused.body
    assert "パーミッション" not in refused.body
    assert attacker.get("/admin/").status == 302  # still signed out

    # The lockout page is the admin's, in the visitor's language.
    chinese = portal.client(forwarded_for="203.0.113.7", language="zh-hans")
    page = chinese.sign_in("clerk", PASSWORD)
    assert page.status == 429
    assert page.header("Content-Language") == "zh-hans"
    assert '<html lang="zh-hans"' in page.body
    assert "登录已锁定30分钟" in page.body
    assert "权限" not in page.body

    # Another user at that address, and that user elsewhere, may sign in.
    colleague = portal.client(forwarded_for="203.0.113.7")
    assert colleague.sign_in("colleague", PASSWORD).status == 302
    elsewhere = portal.client(forwarded_for="198.51.100.9")
    assert elsewhere.sign_in("clerk", PASSWORD).status == 302
    # A forged X-Forwarded-For does not help: the address the proxy appended
    # (the last one) is the one that counts.
    forged = portal.client(forwarded_for="198.51.100.9, 203.0.113.7")
    assert forged.sign_in("clerk", PASSWORD).status == 429

    # Unlocked as the README says.
    call_command("axes_reset_username", "clerk", stdout=io.StringIO())
    assert attacker.sign_in("clerk", PASSWORD).status == 302


def test_the_admin_path_comes_from_the_environment(serve, transactional_db, make_staff):
    portal = serve(ADMIN_PATH="staff-desk/")
    make_staff("clerk", superuser=True)
    client = portal.client()
    assert client.get("/admin/").status == 404
    assert client.get("/admin/login/").status == 404
    signed_in = client.sign_in("clerk", PASSWORD, admin_path="/staff-desk/")
    assert signed_in.status == 302
    assert signed_in.header("Location") == "/staff-desk/"
    index = client.get("/staff-desk/")
    assert index.status == 200
    assert 'href="/staff-desk/translations/missing/"' in index.body
    assert 'href="/staff-desk/seminars/seminar/"' in index.body
    assert client.get("/staff-desk/translations/missing/").status == 200


def test_an_edit_in_the_admin_is_in_the_history_with_its_author(portal, make_staff):
    make_staff("editor", superuser=True)
    seminar = SeminarFactory(theme_ja="元のテーマ")
    client = portal.client()
    assert client.sign_in("editor", PASSWORD).status == 302

    change_url = f"/admin/seminars/seminar/{seminar.pk}/change/"
    page = client.get(change_url)
    assert page.status == 200
    fields = [
        (name, "新しいテーマ" if name == "theme_ja" else value)
        for name, value in form_fields(page.body, "seminar_form")
    ]
    saved = client.post_form(change_url, [*fields, ("_save", "Save")])
    assert saved.status == 302, saved.body[-3000:]

    record = Seminar.history.filter(id=seminar.pk).latest()
    assert record.history_type == "~"
    assert record.history_user.username == "editor"
    assert record.diff_against(record.prev_record).changed_fields == ["theme_ja"]

    history = client.get(f"/admin/seminars/seminar/{seminar.pk}/history/")
    assert history.status == 200
    assert_security_headers(history)
    assert "editor" in history.body
    assert "元のテーマ" in history.body
    assert "新しいテーマ" in history.body
