"""gunicorn imports the portal once, in its master, and forks the workers from
it (gunicorn.conf.py, preload_app): a worker replaced after max_requests serves
at once instead of importing Django again, and no worker inherits a database
connection."""

from pathlib import Path


def imported_the_portal(pid):
    """Whether process `pid` has loaded PostgreSQL's client library, which
    only importing the portal (psycopg) brings: gunicorn itself does not."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return "libpq" in maps


def test_the_master_imports_the_portal_once(portal, serve):
    assert imported_the_portal(portal.process.pid)
    each_worker = serve(GUNICORN_PRELOAD="0")
    assert not imported_the_portal(each_worker.process.pid)


def test_workers_forked_after_max_requests_serve_from_their_own_connections(serve):
    server = serve(GUNICORN_MAX_REQUESTS="2", GUNICORN_MAX_REQUESTS_JITTER="0")
    client = server.client()
    statuses = [
        client.get(path).status
        for _ in range(8)
        for path in ("/healthz", "/ja/seminars/", "/zh-hans/office/")
    ]
    assert statuses == [200] * 24
    log = server.error_log.read_text(errors="replace")
    # 24 requests (and the readiness check) at 2 a worker: about a dozen
    # workers, each forked from the master, each answering from the database.
    assert log.count("Autorestarting worker") >= 10
    assert log.count("Booting worker") >= 12
    assert "Traceback" not in log
