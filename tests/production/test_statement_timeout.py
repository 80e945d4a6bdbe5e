"""A web request's SQL statements are bounded in time (DATABASE_STATEMENT_TIMEOUT,
set for gunicorn's workers by gunicorn.conf.py): one that runs past it is
cancelled by PostgreSQL and the visitor gets a page asking to try again, in
their language, while manage.py commands run without the limit."""

import os
import runpy
import subprocess
import sys
import time

from django.db import OperationalError, connection, transaction

from clair_portal.foundation.middleware import TakingTooLongMiddleware
from seminars.models import Seminar
from tests.factories import SeminarFactory
from tests.production.conftest import REPO_ROOT, database_url, production_env

TITLES = {
    "ja": "ページの表示に時間がかかっています",
    "zh-hans": "页面加载时间过长",
}


def test_gunicorn_gives_its_workers_a_statement_timeout(monkeypatch):
    # setenv first: monkeypatch then puts back the variable's absence, which
    # the configuration's setdefault would otherwise leave behind.
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "")
    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT")
    config = runpy.run_path(str(REPO_ROOT / "gunicorn.conf.py"))
    assert os.environ["DATABASE_STATEMENT_TIMEOUT"] == "15"
    assert float(os.environ["DATABASE_STATEMENT_TIMEOUT"]) < config["timeout"]
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "4")
    runpy.run_path(str(REPO_ROOT / "gunicorn.conf.py"))
    assert os.environ["DATABASE_STATEMENT_TIMEOUT"] == "4"


def session_statement_timeout(**env):
    """PostgreSQL's statement_timeout in a manage.py process with `env`, on
    the test database."""
    env = {"DATABASE_URL": database_url(connection.settings_dict), **env}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection\n"
            "with connection.cursor() as cursor:\n"
            "    cursor.execute('SHOW statement_timeout')\n"
            "    print('statement_timeout=' + cursor.fetchone()[0])",
        ],
        cwd=REPO_ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    lines = [
        line for line in result.stdout.splitlines() if "statement_timeout=" in line
    ]
    return lines[-1].removeprefix("statement_timeout=")


def test_the_setting_becomes_the_sessions_statement_timeout(django_db_setup):
    assert session_statement_timeout(DATABASE_STATEMENT_TIMEOUT="2.5") == "2500ms"
    # manage.py commands (migrations, the worker, loading data): no limit.
    assert session_statement_timeout() == "0"


def test_a_statement_past_the_timeout_gets_a_page_that_asks_to_try_again(
    serve, transactional_db
):
    SeminarFactory()
    server = serve(DATABASE_STATEMENT_TIMEOUT="1")
    for language, title in TITLES.items():
        path = f"/{language}/seminars/?timeout-test={language}"
        # The seminar list waits for this lock until its statement is cancelled.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE {Seminar._meta.db_table} IN ACCESS EXCLUSIVE MODE"
                )
            started = time.monotonic()
            response = server.client().get(path)
            elapsed = time.monotonic() - started
        assert response.status == 503, response.body[:500]
        assert elapsed < 5
        assert f"<title>{title} |" in response.body
        assert f'<html lang="{language}">' in response.body
        assert response.header("Retry-After") == "30"
        assert "no-store" in response.header("Cache-Control")
        # The worker and its connection serve the next request as usual, and
        # the 503 was not kept by the page cache.
        again = server.client().get(path)
        assert again.status == 200
        assert title not in again.body
    log = server.error_log.read_text(errors="replace")
    assert "A statement of GET /ja/seminars/ ran past the statement timeout" in log
    assert "canceling statement due to statement timeout" in log


def test_other_database_errors_are_left_to_the_500_page(rf):
    middleware = TakingTooLongMiddleware(lambda request: None)
    request = rf.get("/ja/")
    assert (
        middleware.process_exception(request, OperationalError("server closed")) is None
    )
    assert middleware.process_exception(request, ValueError("no")) is None
