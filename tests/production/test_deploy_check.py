"""Django's deployment checklist, run as production runs the portal."""

import subprocess
import sys

from tests.production.conftest import REPO_ROOT, production_env


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=production_env(ALLOWED_HOSTS="example.org", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_https_on():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_fails_when_https_is_off():
    """The check above is not vacuous: without HTTPS it finds the SSL redirect,
    HSTS and the secure cookies missing."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", HTTPS="0")
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def without_site_url(**env):
    """manage.py check in production's environment with SITE_URL left out."""
    environment = production_env(ALLOWED_HOSTS="example.org", **env)
    del environment["SITE_URL"]
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_does_not_start_without_its_public_address():
    # With a default, a server started without it mailed requesters
    # tracking links to http://127.0.0.1:8000.
    result = without_site_url()
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr
    assert without_site_url(DEBUG="1").returncode == 0


def test_the_public_address_is_a_scheme_and_a_host():
    for wrong in [
        "portal.example.org",
        "ftp://portal.example.org",
        "https://",
        "https://portal.example.org/portal",
    ]:
        result = manage("check", SITE_URL=wrong)
        assert result.returncode != 0, wrong
        assert "SITE_URL=" in result.stderr, wrong
    assert manage("check", SITE_URL="https://portal.example.org/").returncode == 0
