"""What the portal survives: many submissions at once, the database dropping
every connection while gunicorn serves, and the mail server being down."""

import contextlib
import datetime
import email
import io
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.core import mail
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, connection, connections
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from clair_portal.foundation.mail import mail_send, mail_send_pending
from clair_portal.foundation.models import JapaneseLocalGovernment, OutgoingMail
from clair_portal.foundation.tasks import send_mail, send_pending_mail
from support_requests.models import RequestKind, SupportRequest, SupportService
from support_requests.services import support_request_submit
from tests.outbox import mail_jobs, run_mail_jobs

from .helpers import ROOT, cluster, database_url, manage, portal_environment
from .smtp import Mailbox, SmtpServer, free_port, use_smtp

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
    # Both mails of every request were written with a job each, and the
    # requests sent nothing themselves; the sender sends each once.
    mails = OutgoingMail.objects.filter(
        created_at__gte=saved.earliest("created_at").created_at
    )
    assert mails.count() == 2 * SUBMISSIONS
    jobs = {job.args["mail_id"] for job in mail_jobs()}
    assert set(mails.values_list("pk", flat=True)) <= jobs
    assert mail.outbox == []
    mail_send_pending()
    assert not mails.filter(sent_at__isnull=True).exists()
    assert len(mail.outbox) == 2 * SUBMISSIONS


# The database drops every connection -------------------------------------------------


@contextlib.contextmanager
def gunicorn(tmp_path, settings_module="tests.settings", **overrides):
    """The portal under gunicorn (2 sync workers, persistent connections) on
    the test database, as in production; stops it at the end. `overrides` are
    environment variables."""
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "CONN_MAX_AGE": "60",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "RATELIMIT_ENABLE": "0",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "WEB_CONCURRENCY": "2",
        "BIND": f"127.0.0.1:{port}",
        **overrides,
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
        "government": "岐阜県高山市",
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


# Mail: sent by the worker, never in a request, at most once --------------------


class SilentSmtp:
    """A mail server that accepts connections and never answers."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        with contextlib.suppress(OSError):
            while True:
                self.accepted.append(self.listener.accept()[0])

    def close(self):
        self.listener.close()
        for connection_ in self.accepted:
            connection_.close()


def in_language(language, message):
    with translation.override(language):
        return gettext(message)


def worker_environment(**extra):
    return portal_environment(connection.settings_dict["NAME"], **extra)


def submit_form(base, email):
    """The public support request form, as a browser posts it: (seconds, status)."""
    session = requests.Session()
    form = session.get(base + "/ja/support/request/", timeout=60)
    token = CSRF_INPUT.search(form.text).group(1)
    started = time.monotonic()
    response = session.post(
        base + "/ja/support/request/",
        data={**form_post_data(), "email": email, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=60,
    )
    return time.monotonic() - started, response.status_code


def test_a_hung_mail_server_delays_no_request(committed_brochures, tmp_path):
    """Two submissions at once and a page behind them, with a mail server that
    never answers (2 gunicorn workers): the requests only write the outbox;
    the worker sends the mail once a working server is there."""
    silent = SilentSmtp()
    try:
        with (
            gunicorn(
                tmp_path,
                "tests.ops.settings_with_smtp",
                EMAIL_URL=f"smtp://127.0.0.1:{silent.port}",
                EMAIL_TIMEOUT="10",
            ) as base,
            ThreadPoolExecutor(max_workers=2) as pool,
        ):
            submissions = [
                pool.submit(submit_form, base, f"hung{n}@example.jp") for n in (1, 2)
            ]
            time.sleep(0.3)
            started = time.monotonic()
            page = requests.get(base + "/ja/jet/", timeout=60)
            page_seconds = time.monotonic() - started
            timings = [submission.result() for submission in submissions]
    finally:
        silent.close()
    print(f"submissions {timings}, unrelated page {page_seconds:.2f} s")
    assert [status for _seconds, status in timings] == [302, 302]
    assert max(seconds for seconds, _status in timings) < 1
    assert page.status_code == 200
    assert page_seconds < 1
    mails = OutgoingMail.objects.filter(recipients__startswith="hung")
    assert mails.count() == 2
    assert mails.pending().count() == 2  # and every desk mail too

    server = SmtpServer(free_port()).start()
    try:
        manage(
            "procrastinate",
            "worker",
            "--one-shot",
            environment=worker_environment(EMAIL_URL=f"smtp://127.0.0.1:{server.port}"),
        )
    finally:
        server.stop()
    recipients = [r for e in server.mailbox.envelopes for r in e.rcpt_tos]
    assert sorted(r for r in recipients if r.startswith("hung")) == [
        "hung1@example.jp",
        "hung2@example.jp",
    ]
    assert not OutgoingMail.objects.pending().exists()


def test_a_running_worker_sends_what_a_request_writes(committed_brochures, tmp_path):
    server = SmtpServer(free_port()).start()
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker"],
        cwd=ROOT,
        env=worker_environment(EMAIL_URL=f"smtp://127.0.0.1:{server.port}"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        support_request_submit(**request_fields(1, email="worker@example.jp"))
        deadline = time.monotonic() + 30
        while len(server.mailbox.envelopes) < 2:
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.1)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.stop()
        log.close()
    recipients = sorted(r for e in server.mailbox.envelopes for r in e.rcpt_tos)
    assert "worker@example.jp" in recipients
    assert OutgoingMail.objects.get(recipients="worker@example.jp").sent_at


class ConnectionKillingMailbox(Mailbox):
    """Takes the mail, then ends the sender's database connection before it
    answers: the sender cannot record that the mail left."""

    def __init__(self, backend_pid):
        super().__init__()
        self.backend_pid = backend_pid

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        with cluster() as admin, admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [self.backend_pid])
        return "250 Message accepted for delivery"


def test_a_database_lost_after_the_mail_left_never_sends_it_twice(
    committed_brochures, admin_client, caplog, settings
):
    """The connection ends between the mail server's answer and the commit of
    the outcome: the mail left once, and nothing sends it again by itself."""
    outgoing = OutgoingMail.objects.create(
        recipients="once@example.jp", subject="件名", body="本文", language="ja"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_pid = cursor.fetchone()[0]
    server = SmtpServer(free_port())
    server.mailbox = ConnectionKillingMailbox(backend_pid)
    server.start()
    use_smtp(settings, server.port)
    try:
        with pytest.raises((OperationalError, InterfaceError)):
            mail_send(mail_id=outgoing.pk)
        connection.close()
        assert len(server.mailbox.envelopes) == 1

        outgoing.refresh_from_db()
        assert outgoing.sent_at is None
        assert outgoing.sending_started_at is not None
        assert outgoing.message_id
        # The job again, the periodic job, the operators' command: nothing.
        server.mailbox.backend_pid = 0
        assert send_mail(mail_id=outgoing.pk) is None
        send_pending_mail(timestamp=0)
        out = io.StringIO()
        call_command("send_pending_mail", stdout=out)
        assert "0 sent, 0 still pending, 0 interrupted." in out.getvalue()
        assert len(server.mailbox.envelopes) == 1

        # Later, it shows as interrupted: staff check, and send it again.
        OutgoingMail.objects.filter(pk=outgoing.pk).update(
            sending_started_at=timezone.now() - datetime.timedelta(minutes=11)
        )
        with caplog.at_level(logging.WARNING, logger="clair_portal.foundation.mail"):
            send_pending_mail(timestamp=0)
        assert "1 mail(s) interrupted" in caplog.text
        outbox = reverse("admin:clair_portal_outgoingmail_changelist")
        listed = admin_client.get(outbox, {"state": "interrupted"})
        assert list(listed.context["cl"].result_list) == [outgoing]
        label = "interrupted: check delivery by Message-ID"
        assert any(
            in_language(language, label) in listed.text
            for language in ("ja", "zh-hans")
        )
        assert len(server.mailbox.envelopes) == 1
        admin_client.post(
            outbox,
            {"action": "send_interrupted_again", "_selected_action": [outgoing.pk]},
        )
        assert len(server.mailbox.envelopes) == 1  # the request sends nothing
        run_mail_jobs()
    finally:
        server.stop()
    assert len(server.mailbox.envelopes) == 2  # once lost, once on purpose
    outgoing.refresh_from_db()
    assert outgoing.sent_at is not None
    message_ids = {
        email.message_from_bytes(envelope.content)["Message-ID"]
        for envelope in server.mailbox.envelopes
    }
    assert message_ids == {outgoing.message_id}


def test_concurrent_senders_never_send_a_mail_twice(committed_brochures, settings):
    mails = [
        OutgoingMail.objects.create(
            recipients=f"many{n}@example.jp", subject="件名", body="本文", language="ja"
        )
        for n in range(40)
    ]
    server = SmtpServer(free_port()).start()
    use_smtp(settings, server.port)
    start = threading.Barrier(4)

    def sender():
        start.wait()
        try:
            return mail_send_pending()
        finally:
            connections.close_all()

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda _n: sender(), range(4)))
    finally:
        server.stop()
    recipients = [r for e in server.mailbox.envelopes for r in e.rcpt_tos]
    assert sorted(recipients) == sorted(m.recipients for m in mails)
    assert sum(sent for sent, _failed in results) == len(mails)
    assert not OutgoingMail.objects.filter(sent_at__isnull=True).exists()
