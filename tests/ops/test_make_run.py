"""`make run` as a developer types it: the portal on its port, and the worker
beside it, which sends the mail a request leaves in the outbox; Ctrl-C stops
both."""

import os
import signal
import subprocess
import time
import urllib.request

import pytest

from .helpers import (
    ROOT,
    create_database,
    drop_database,
    manage,
    portal_environment,
    scratch_name,
)
from .smtp import SmtpServer, free_port


@pytest.fixture
def scratch_database():
    name = scratch_name("makerun")
    create_database(name)
    yield name
    drop_database(name)


def wait_for(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    pytest.fail(f"{what} within {timeout} s")


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_make_run_serves_the_portal_and_its_worker_sends_mail(
    scratch_database, tmp_path
):
    smtp = SmtpServer(free_port()).start()
    port = free_port()
    environment = portal_environment(
        scratch_database,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        PORT=str(port),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        MEDIA_ROOT=str(tmp_path / "media"),
        SECRET_KEY="make-run-test-key",
    )
    environment.pop("DJANGO_SETTINGS_MODULE")
    log = (tmp_path / "make-run.log").open("wb")
    process = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: answers(f"http://127.0.0.1:{port}/healthz"),
            300,
            "make run did not serve /healthz",
        )
        assert answers(f"http://127.0.0.1:{port}/ja/seminars/")
        # A mail written as a request writes it: the row and its job, nothing
        # sent by this process.
        manage(
            "shell",
            "-c",
            "from clair_portal.foundation.mail import mail_queue\n"
            "mail_queue(to=['hida@example.jp'], template='support_requests/email/"
            "tracking_link', context={'request': None, 'site_url': ''}, "
            "language='ja')",
            environment={
                **environment,
                "DJANGO_SETTINGS_MODULE": "clair_portal.settings",
            },
        )
        wait_for(
            lambda: smtp.mailbox.envelopes,
            60,
            "the worker did not send the queued mail",
        )
        (envelope,) = smtp.mailbox.envelopes
        assert envelope.rcpt_tos == ["hida@example.jp"]
    finally:
        # Ctrl-C in the terminal: the whole process group gets SIGINT.
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        finally:
            smtp.stop()
            log.close()
    # The worker finishes its job in hand, then stops: none of the group is
    # left after a few seconds.
    wait_for(
        lambda: subprocess.run(["pgrep", "-g", str(process.pid)]).returncode == 1,
        30,
        "the server or the worker outlived make run",
    )
