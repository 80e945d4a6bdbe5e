"""Logs as JSON lines on stderr (a command's stdout is its own output), errors
mailed to ADMINS without tracking tokens, Sentry only when SENTRY_DSN is set."""

import io
import json
import logging
import subprocess
import sys

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from clair_portal.foundation.logging import JsonFormatter
from clair_portal.foundation.tasks import send_error_mail

from .helpers import ROOT

SETTINGS_ENV = {
    "DJANGO_SETTINGS_MODULE": "clair_portal.settings",
    "SECRET_KEY": "tests-only-secret-key",
    "SITE_URL": "https://portal.example.org",
    "PATH": "/usr/bin:/bin",
}


def run_python(code, *, stream="stdout", **environment):
    """Run `code` in a fresh interpreter with the production settings (DEBUG
    off) and the given environment; what it printed (stdout) or logged
    (stream="stderr")."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**SETTINGS_ENV, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return getattr(result, stream)


@pytest.fixture(autouse=True)
def fresh_error_mail_counts():
    """The error mails' throttle counts in the cache: each test starts anew."""
    cache.clear()
    yield
    cache.clear()


def run_error_mail_jobs():
    """The worker's part: send the error mails the requests queued (in this
    test's transaction, where a worker on another connection cannot see
    them). Before, no mail has left."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    assert mail.outbox == [], "an error mail left inside the request"
    jobs = ProcrastinateJob.objects.filter(task_name=send_error_mail.name)
    for job in jobs.order_by("id"):
        send_error_mail(**job.args)


def json_lines(output):
    lines = [line for line in output.splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def test_a_log_record_is_one_json_line_on_stderr():
    output = run_python(
        "import django, logging\n"
        "django.setup()\n"
        "log = logging.getLogger('clair_portal.ops_test')\n"
        "log.warning('Two\\nlines, 日本語 %s', 'and an argument', extra={'fy': 2026})\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    log.exception('With a traceback')\n",
        stream="stderr",
    )
    records = [r for r in json_lines(output) if r["logger"] == "clair_portal.ops_test"]
    assert len(records) == 2
    warning, error = records
    assert warning["level"] == "WARNING"
    assert warning["message"] == "Two\nlines, 日本語 and an argument"
    assert warning["fy"] == 2026
    assert warning["time"].startswith("20") and "T" in warning["time"]
    assert error["level"] == "ERROR"
    assert "ZeroDivisionError" in error["exc_info"]


def test_text_format_on_request():
    output = run_python(
        "import django, logging\n"
        "django.setup()\n"
        "logging.getLogger('clair_portal.ops_test').warning('Plain')\n",
        stream="stderr",
        LOG_FORMAT="text",
    )
    assert output.strip().endswith("WARNING clair_portal.ops_test Plain")


@pytest.fixture
def json_log():
    """What the root logger's console handler writes, as parsed records."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h.formatter, JsonFormatter)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: json_lines(stream.getvalue())
    handler.setStream(previous)


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.urls")
def test_a_server_error_is_mailed_to_admins_and_logged(settings, json_log):
    settings.DEBUG = False
    settings.ADMINS = [("Office IT", "it@example.org"), ("", "duty@example.org")]
    client = Client(raise_request_exception=False)

    response = client.get("/ops/fail/")

    assert response.status_code == 500
    run_error_mail_jobs()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["it@example.org", "duty@example.org"]
    assert "/ops/fail/" in mail.outbox[0].subject
    assert "A failure for the operations tests" in mail.outbox[0].body
    (record,) = [r for r in json_log() if r["logger"] == "django.request"]
    assert record["level"] == "ERROR"
    assert record["method"] == "GET"
    assert record["path"] == "/ops/fail/"
    assert record["status"] == 500
    assert "RuntimeError: A failure for the operations tests" in record["exc_info"]


@pytest.mark.django_db
def test_not_found_is_logged_without_the_tracking_token(client, settings, json_log):
    settings.DEBUG = False
    settings.ADMINS = [("Office IT", "it@example.org")]

    response = client.get("/ja/support/track/secret-token-123/")

    assert response.status_code == 404
    assert mail.outbox == []  # a 404 is a warning, not mailed
    (record,) = [r for r in json_log() if r["logger"] == "django.request"]
    assert record["level"] == "WARNING"
    assert record["status"] == 404
    assert record["path"] == "/ja/support/track/…/"
    assert "secret-token-123" not in json.dumps(json_log())


def test_admins_from_the_environment():
    output = run_python(
        "from django.conf import settings; print(settings.ADMINS)",
        ADMINS="CLAIR 北京 IT <it@example.org>, duty@example.org",
    )
    assert (
        output.strip()
        == "[('CLAIR 北京 IT', 'it@example.org'), ('', 'duty@example.org')]"
    )


SENTRY_PROBE = (
    "import django, sentry_sdk\n"
    "django.setup()\n"
    "client = sentry_sdk.get_client()\n"
    "print(client.is_active(), client.options['send_default_pii'],"
    " client.options['max_request_body_size'])\n"
)


def test_sentry_is_initialised_only_with_a_dsn():
    # A DSN on loopback, nothing listening: no event is sent anyway.
    with_dsn = run_python(SENTRY_PROBE, SENTRY_DSN="http://public@127.0.0.1:9/1")
    assert with_dsn.splitlines()[-1] == "True False never"
    without = run_python(SENTRY_PROBE)
    assert without.splitlines()[-1].startswith("False")


def test_log_level_applies_to_django_records_too():
    output = run_python(
        "import django, logging\n"
        "django.setup()\n"
        "logging.getLogger('django.request').info('Hidden')\n"
        "logging.getLogger('django.request').warning('Shown')\n",
        stream="stderr",
        LOG_LEVEL="WARNING",
    )
    assert [r["message"] for r in json_lines(output)] == ["Shown"]


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.urls")
def test_the_error_mail_carries_no_tracking_token(settings):
    """The subject, the URL and PATH_INFO of the report name the tracking page
    with its token redacted, as the logs do."""
    settings.DEBUG = False
    settings.ADMINS = [("Office IT", "it@example.org")]
    token = "Sup3rSecretTrackingToken_0123456789abcdefghij"
    client = Client(raise_request_exception=False)

    response = client.get(
        f"/ops/track/{token}/fail/", HTTP_REFERER=f"https://x.example/track/{token}/"
    )

    assert response.status_code == 500
    run_error_mail_jobs()
    (sent,) = mail.outbox
    assert "/ops/track/…/fail/" in sent.subject
    assert "PATH_INFO" in sent.body
    assert token not in sent.subject
    assert token not in sent.body
    for content, _mimetype in getattr(sent, "alternatives", []):
        assert token not in content


def test_dumpdata_writes_only_json_to_stdout(django_db_setup, django_db_blocker):
    """`manage.py dumpdata > dump.json` is a valid dump: log lines (django-axes
    writes some at start-up) go to stderr."""
    from django.conf import settings as django_settings

    from tests.production.conftest import database_url

    result = subprocess.run(
        [sys.executable, "manage.py", "dumpdata", "contenttypes.contenttype"],
        cwd=ROOT,
        env={
            **SETTINGS_ENV,
            "DATABASE_URL": database_url(django_settings.DATABASES["default"]),
            "LOG_LEVEL": "DEBUG",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    records = json.loads(result.stdout)
    # Content types are there even after a flush (post_migrate makes them).
    assert records and all(r["model"] == "contenttypes.contenttype" for r in records)
    assert "AXES" in result.stderr


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.urls")
def test_error_mails_are_throttled_and_name_post_fields_without_values(settings):
    """The same error twice in ten minutes is mailed once; at most 20 error
    mails in ten minutes; a POST's values never go into a report; the worker
    takes requesters' mail before error reports."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    from clair_portal.foundation.logging import (
        ERROR_MAIL_PRIORITY,
        ERROR_MAILS_PER_INTERVAL,
    )

    settings.DEBUG = False
    settings.ADMINS = [("Office IT", "it@example.org")]
    client = Client(raise_request_exception=False)
    for _ in range(5):
        client.post("/ops/fail/", {"purpose": "秘密の計画 secret-value@example.jp"})
    jobs = ProcrastinateJob.objects.filter(task_name=send_error_mail.name)
    assert jobs.count() == 1
    for number in range(40):
        client.get(f"/ops/fail/{number}/")
    assert jobs.count() == ERROR_MAILS_PER_INTERVAL
    assert {job.priority for job in jobs} == {ERROR_MAIL_PRIORITY}

    run_error_mail_jobs()
    report = mail.outbox[0].body
    assert "purpose" in report
    assert "secret-value@example.jp" not in report
    assert "秘密の計画" not in report


def test_a_percent_encoded_tracking_path_is_redacted_too():
    from clair_portal.foundation.logging import redact

    token = "Sup3rSecretTrackingToken_0123456789abcdefghij"
    for path in (f"/ja/support/track/{token}/", f"/ja/support/%74rack/{token}/"):
        assert token not in redact(f"GET {path} HTTP/1.1")
