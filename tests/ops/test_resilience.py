"""What the portal survives: many submissions at once, the database dropping
every connection while gunicorn serves, and the mail server being down."""

import contextlib
import datetime
import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.db.models import Count
from django.utils import timezone

from clair_portal.models import JapaneseLocalGovernment, OutgoingMail
from support_requests.models import RequestKind, SupportRequest, SupportService
from support_requests.services import support_request_submit

from .helpers import ROOT, database_url
from .smtp import SmtpServer, free_port, use_smtp

SUBMISSIONS = 200
# Concurrent connections: the cluster's max_connections (100) is shared with
# every other test run on this machine.
SUBMITTING_THREADS = 20


def request_fields(index, **overrides):
    """An activity support request as the public form submits it."""
    today = timezone.localdate()
    fields = {
        "kind": RequestKind.ACTIVITY_SUPPORT,
        "language": "ja",
        "government": JapaneseLocalGovernment.objects.get(code="21203"),
        "department": "海外戦略課",
        "contact_name": f"飛騨太郎 {index}",
        "email": f"hida{index}@example.jp",
        "phone": "0577-32-3333",
        "purpose": "観光プロモーションのため北京の旅行会社を訪問します。",
        "stay_start": today + datetime.timedelta(days=30),
        "stay_end": today + datetime.timedelta(days=34),
    }
    fields.update(overrides)
    return fields


# 200 submissions at once ----------------------------------------------------------


def test_concurrent_submissions_get_distinct_references(committed_brochures):
    government = JapaneseLocalGovernment.objects.get(code="21203")
    services = list(SupportService.objects.all()[:2])
    before = set(SupportRequest.objects.values_list("reference", flat=True))
    start = threading.Barrier(SUBMITTING_THREADS)

    def submit(index):
        if index < SUBMITTING_THREADS:
            start.wait()  # the first wave starts at the same instant
        try:
            request = support_request_submit(
                services=services, **request_fields(index, government=government)
            )
            return request.reference
        finally:
            connections.close_all()  # each submission on its own connection

    with ThreadPoolExecutor(max_workers=SUBMITTING_THREADS) as pool:
        references = list(pool.map(submit, range(SUBMISSIONS)))

    assert len(set(references)) == SUBMISSIONS
    saved = SupportRequest.objects.exclude(reference__in=before)
    assert saved.count() == SUBMISSIONS
    assert set(saved.values_list("reference", flat=True)) == set(references)
    assert {r.services.count() for r in saved.prefetch_related("services")} == {2}
    # Both mails of every request were written, and sent after its commit.
    mails = OutgoingMail.objects.filter(
        created_at__gte=saved.earliest("created_at").created_at
    )
    assert mails.count() == 2 * SUBMISSIONS
    assert not mails.filter(sent_at__isnull=True).exists()
    assert len(mail.outbox) == 2 * SUBMISSIONS


# The database drops every connection -------------------------------------------------


@contextlib.contextmanager
def gunicorn(tmp_path, settings_module="tests.settings"):
    """The portal under gunicorn (2 sync workers, persistent connections) on
    the test database, as in production; stops it at the end."""
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "CONN_MAX_AGE": "60",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "RATELIMIT_ENABLE": "0",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "WEB_CONCURRENCY": "2",
        "BIND": f"127.0.0.1:{port}",
    }
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "clair_portal.wsgi"]
        + ["--workers=2", f"--bind=127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


PAGES = ["/ja/", "/ja/seminars/", "/zh-hans/seminars/18/", "/ja/jet/", "/healthz"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_post_data():
    """The support request form's fields, for a client without the ORM."""
    fields = {
        "kind": "activity_support",
        "prefecture": JapaneseLocalGovernment.objects.get(code="21").pk,
        "municipality": JapaneseLocalGovernment.objects.get(code="21203").pk,
        "department": "海外戦略課",
        "contact_name": "飛騨太郎",
        "phone": "0577-32-3333",
        "purpose": "観光プロモーションのため北京の旅行会社を訪問します。",
        "stay_start": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "stay_end": (timezone.localdate() + datetime.timedelta(days=34)).isoformat(),
        "destinations": "北京市",
        "delegation_leader": "市長",
        "delegation_size": "5",
        "services": [s.pk for s in SupportService.objects.all()[:2]],
        "consent": "on",
    }
    return fields


class Traffic:
    """Clients in threads: page views in a loop, and form submissions that a
    client retries after a failure, as a person would press "send" again.
    `quiet()` holds new requests back until none is in flight."""

    def __init__(self, base, form_data):
        self.base = base
        self.form_data = form_data
        self.stop = threading.Event()
        self.state = threading.Condition()
        self.held = False
        self.active = 0
        self.views = []  # (started, ok, what)
        self.submissions = {}  # email -> attempts
        self.threads = []

    def request(self, what, call):
        with self.state:
            self.state.wait_for(lambda: not self.held)
            self.active += 1
        started = time.monotonic()
        try:
            ok = call()
        except requests.RequestException:
            ok = False
        with self.state:
            self.active -= 1
            self.views.append((started, ok, what))
            self.state.notify_all()
        return ok

    @contextlib.contextmanager
    def quiet(self):
        with self.state:
            self.held = True
            self.state.wait_for(lambda: self.active == 0, timeout=60)
        try:
            yield
        finally:
            with self.state:
                self.held = False
                self.state.notify_all()

    def browse(self, offset):
        index = offset
        while not self.stop.is_set():
            path = PAGES[index % len(PAGES)]
            index += 1
            self.request(
                path,
                lambda path=path: (
                    requests.get(self.base + path, timeout=30).status_code == 200
                ),
            )

    def submit_once(self, email):
        session = requests.Session()
        form = session.get(self.base + "/ja/support/request/", timeout=30)
        if form.status_code != 200:
            return False
        token = CSRF_INPUT.search(form.text).group(1)
        response = session.post(
            self.base + "/ja/support/request/",
            data={**self.form_data, "email": email, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        )
        return response.status_code == 302 and "/track/" in response.headers["Location"]

    def submit(self):
        number = 0
        while not self.stop.is_set():
            number += 1
            email = f"retry{number}@example.jp"
            for attempt in range(1, 6):
                self.submissions[email] = attempt
                if self.request("submission", lambda e=email: self.submit_once(e)):
                    break

    def __enter__(self):
        targets = [lambda i=i: self.browse(i) for i in range(4)] + [self.submit]
        self.threads = [threading.Thread(target=target) for target in targets]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def terminate_portal_connections():
    """What a database restart does to the portal: every connection to its
    database but this one is ended. Returns once they are gone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM unnest(%s) AS pid", [pids]
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids]
            )
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.02)
    return len(pids)


def run_through_restarts(tmp_path, settings_module):
    """Two restarts under traffic: one while every worker is busy (requests in
    flight may fail), one at a quiet instant (every worker idle on a
    connection that is now dead). Returns the traffic, the connections
    ended, and when the first restart was over."""
    form_data = form_post_data()
    with (
        gunicorn(tmp_path, settings_module) as base,
        Traffic(base, form_data) as traffic,
    ):
        time.sleep(2)  # both workers hold a connection by now
        terminated = terminate_portal_connections()
        after = time.monotonic()
        time.sleep(2)
        with traffic.quiet():
            terminated += terminate_portal_connections()
        time.sleep(2)
    return traffic, terminated, after


def test_requests_after_a_database_restart_all_succeed(committed_brochures, tmp_path):
    traffic, terminated, after = run_through_restarts(tmp_path, "tests.settings")

    assert terminated >= 4  # at least one connection per worker, twice
    later = [view for view in traffic.views if view[0] > after]
    assert len(later) >= 20
    failed_later = [view for view in later if not view[1]]
    assert failed_later == [], (tmp_path / "gunicorn.log").read_text()[-3000:]
    in_flight = [view for view in traffic.views if view[0] <= after and not view[1]]
    print(
        f"{terminated} connections ended; {len(traffic.views)} requests, "
        f"{len(in_flight)} failed in flight, {len(later)} after, all succeeded; "
        f"{sum(n > 1 for n in traffic.submissions.values())} submissions retried"
    )
    # Every submission the client made (retried after a failure) saved once.
    saved = dict(
        SupportRequest.objects.filter(email__startswith="retry")
        .values_list("email")
        .annotate(count=Count("id"))
    )
    assert traffic.submissions
    assert saved == {email: 1 for email in traffic.submissions}


def test_without_health_checks_the_restart_costs_requests(
    committed_brochures, tmp_path
):
    """The control: the same run with CONN_HEALTH_CHECKS off fails requests
    after the quiet restart, so the test above does measure the checks."""
    traffic, _terminated, after = run_through_restarts(
        tmp_path, "tests.ops.settings_without_health_checks"
    )
    assert [view for view in traffic.views if view[0] > after and not view[1]]


def test_a_failure_after_the_commit_does_not_fail_the_submission(
    committed_brochures, client, monkeypatch
):
    """The database may go between the commit and the recording of the mail's
    outcome: the request is saved, so the requester gets the confirmation, not
    a 500 that makes them send it again (the mail stays pending)."""

    def database_gone(*, mail):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("clair_portal.mail.mail_send", database_gone)
    response = client.post(
        "/ja/support/request/", {**form_post_data(), "email": "once@example.jp"}
    )

    assert response.status_code == 302
    assert SupportRequest.objects.filter(email="once@example.jp").count() == 1
    assert OutgoingMail.objects.pending().count() == 2


# The mail server is down ----------------------------------------------------------


@pytest.mark.django_db
def test_mail_down_loses_nothing(settings, django_capture_on_commit_callbacks):
    use_smtp(settings, free_port())  # nothing listens there
    for index in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            support_request_submit(**request_fields(index))

    assert SupportRequest.objects.filter(email__startswith="hida").count() == 5
    pending = OutgoingMail.objects.pending()
    assert pending.count() == 10
    assert all(m.attempts == 1 and m.last_error for m in pending)

    server = SmtpServer(free_port()).start()
    try:
        settings.EMAIL_PORT = server.port
        call_command("send_pending_mail", stdout=open(os.devnull, "w"))  # noqa: SIM115
    finally:
        server.stop()

    assert not OutgoingMail.objects.pending().exists()
    assert len(server.mailbox.envelopes) == 10
    recipients = sorted(r for e in server.mailbox.envelopes for r in e.rcpt_tos)
    assert recipients.count("hida0@example.jp") == 1
