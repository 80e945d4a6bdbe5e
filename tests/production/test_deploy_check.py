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
