"""The portal as production runs it: `gunicorn clair_portal.wsgi` with the real
settings (not tests.settings), DEBUG=0, HTTPS=1, static files collected and
served by whitenoise, on a free loopback port, against the test database.

Tests that read or write data the server must see use `transactional_db`
(committed data); the brochures and staff groups are put back at the end of
the session, as the browser tests do, for the next --reuse-db session.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command

REPO_ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
# 50 characters, not only letters: what `check --deploy` wants of a real key.
SECRET_KEY = "production-tests-0123456789-abcdefghijklmnopqrstuvwxyz-!@#%"
PASSWORD = "correct horse battery staple 42"


def production_env(**overrides):
    """The environment of a production process: this process's, less the test
    settings, with DEBUG off and HTTPS on."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_")
        and name not in {"DEBUG", "HTTPS", "SECRET_KEY", "ADMIN_PATH", "PROXY_COUNT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="clair_portal.settings",
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Required with DEBUG off; the served portal's links are not followed.
        SITE_URL="https://portal.example.org",
        EMAIL_URL="consolemail://",
        LOG_FORMAT="text",
        # Not this checkout's .env: production is given only its environment.
        ENV_FILE="",
    )
    env.update(overrides)
    return env


def database_url(settings_dict):
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: str

    def header(self, name):
        values = self.headers_named(name)
        assert len(values) <= 1, f"{name} sent {len(values)} times"
        return values[0] if values else None

    def headers_named(self, name):
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def cookie(self, name):
        """The Set-Cookie line of cookie `name`, or None."""
        for line in self.headers_named("Set-Cookie"):
            if line.split("=", 1)[0].strip() == name:
                return line
        return None


class Client:
    """Plain HTTP to the served portal, as the TLS proxy would pass it on
    (X-Forwarded-Proto: https unless told otherwise), with a cookie jar and no
    redirect following."""

    def __init__(self, server, *, forwarded_for=None, language=None):
        self.server = server
        self.cookies = {}
        self.forwarded_for = forwarded_for
        self.language = language

    def request(self, method, path, *, body=None, headers=None, https=True):
        sent = {"Host": f"127.0.0.1:{self.server.port}"}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.forwarded_for:
            sent["X-Forwarded-For"] = self.forwarded_for
        if self.language:
            sent["Accept-Language"] = self.language
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        connection = HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(
                raw.status, raw.getheaders(), raw.read().decode("utf-8", "replace")
            )
        finally:
            connection.close()
        for line in response.headers_named("Set-Cookie"):
            name, _, rest = line.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, fields):
        """POST a form with the CSRF token from the cookie, as a browser would
        from a page of the portal (the Origin header of an HTTPS page)."""
        origin = f"https://127.0.0.1:{self.server.port}"
        return self.request(
            "POST",
            path,
            body=urlencode([*fields, ("csrfmiddlewaretoken", self.csrf_token)]),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": f"{origin}{path}",
            },
        )

    @property
    def csrf_token(self):
        return self.cookies["csrftoken"]

    def sign_in(self, username, password, *, admin_path="/admin/"):
        """The admin's sign-in form; the response to the POST."""
        login = f"{admin_path}login/"
        assert self.get(login).status == 200
        return self.post_form(
            f"{login}?next={admin_path}",
            [("username", username), ("password", password), ("next", admin_path)],
        )


class Server:
    """A gunicorn process serving the portal; stopped by stop()."""

    def __init__(self, *, env, log_dir):
        self.port = free_port()
        log_dir.mkdir(parents=True, exist_ok=True)
        self.access_log = log_dir / f"gunicorn-{self.port}.out"
        self.error_log = log_dir / f"gunicorn-{self.port}.err"
        # The command of the README, from the repository root: gunicorn reads
        # gunicorn.conf.py there. Two workers, whatever the machine's size.
        env = {"BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "2", **env}
        with self.access_log.open("wb") as out, self.error_log.open("wb") as err:
            self.process = subprocess.Popen(
                [str(GUNICORN), "clair_portal.wsgi"],
                cwd=REPO_ROOT,
                env=env,
                stdout=out,
                stderr=err,
            )
        self.wait_until_ready()

    def wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.errors()}")
            with contextlib.suppress(OSError):
                # /healthz answers over plain HTTP (exempt from the redirect).
                Client(self).get("/healthz", https=False)
                return
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"gunicorn did not answer in {timeout}s:\n{self.errors()}")

    def errors(self):
        return self.error_log.read_text(errors="replace")[-5000:]

    def access_lines(self):
        return self.access_log.read_text(errors="replace").splitlines()

    def client(self, **kwargs):
        return Client(self, **kwargs)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic into a temporary STATIC_ROOT, as a deployment does."""
    root = tmp_path_factory.mktemp("staticfiles")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO_ROOT,
        env=production_env(STATIC_ROOT=str(root)),
        check=True,
        capture_output=True,
        timeout=300,
    )
    return root


@pytest.fixture(scope="session")
def restore_brochures(django_db_setup, django_db_blocker):
    """Transactional tests leave the database empty: load the brochures and
    put the staff groups (made by a migration) back after the last one."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    with django_db_blocker.unblock():
        groups = {
            group.name: list(
                group.permissions.values_list("content_type__app_label", "codename")
            )
            for group in Group.objects.all()
        }
    yield
    with django_db_blocker.unblock():
        call_command("load_brochures", verbosity=0)
        for name, permissions in groups.items():
            group, _created = Group.objects.get_or_create(name=name)
            wanted = Q(pk__in=[])
            for app_label, codename in permissions:
                wanted |= Q(content_type__app_label=app_label, codename=codename)
            group.permissions.set(Permission.objects.filter(wanted))


@pytest.fixture(scope="session")
def serve(django_db_setup, static_root, tmp_path_factory, restore_brochures):
    """serve(**env) -> a running Server on the test database; one per
    distinct environment, stopped at the end of the session."""
    from django.db import connection

    test_database = database_url(connection.settings_dict)
    assert settings.DATABASES["default"]["NAME"].startswith("test_")
    servers = {}
    log_dir = tmp_path_factory.mktemp("gunicorn")

    def start(**env):
        key = tuple(sorted(env.items()))
        if key not in servers:
            defaults = {
                "DATABASE_URL": test_database,
                "STATIC_ROOT": str(static_root),
                "MEDIA_ROOT": str(log_dir / "media"),
                "PRIVATE_MEDIA_ROOT": str(log_dir / "private"),
            }
            servers[key] = Server(
                env=production_env(**{**defaults, **env}), log_dir=log_dir
            )
        return servers[key]

    yield start
    for server in servers.values():
        server.stop()


@pytest.fixture
def portal(serve, transactional_db):
    """The portal served with the default settings; data written by the test
    is committed, so the server sees it."""
    return serve()


def production_password(password=PASSWORD):
    """A password hash the served portal can check: the tests' own settings
    hash with MD5, which production does not accept."""
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(password, hasher.salt())


@pytest.fixture
def make_staff():
    """make_staff(username, superuser=False) -> a staff user with PASSWORD."""

    def make(username, *, superuser=False):
        return get_user_model().objects.create(
            username=username,
            email=f"{username}@example.org",
            is_staff=True,
            is_superuser=superuser,
            password=production_password(),
        )

    return make
