"""gunicorn's settings for the portal: `gunicorn clair_portal.wsgi` reads this
file from the working directory. Every value can be changed from the
environment; the README's "Production" section lists the variables.

The portal sits behind a reverse proxy that terminates TLS: gunicorn listens
on the loopback interface (or a private address given in BIND) and trusts
X-Forwarded-* headers only from FORWARDED_ALLOW_IPS.
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Where to listen: BIND ("host:port", or "unix:/path") or, as on platforms that
# hand out a port, PORT on the loopback interface.
if os.environ.get("BIND"):
    bind = [address.strip() for address in os.environ["BIND"].split(",")]
elif os.environ.get("PORT"):
    bind = [f"127.0.0.1:{os.environ['PORT']}"]
else:
    bind = ["127.0.0.1:8000"]

# Synchronous workers: the portal's pages are short database reads. The usual
# 2 x cores + 1; WEB_CONCURRENCY overrides it (the name Heroku-style hosts set).
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"

# A request taking longer than this is killed and its worker restarted (the
# brochure PDF is the slowest page); on SIGTERM, workers get
# GUNICORN_GRACEFUL_TIMEOUT seconds to finish the requests they are serving.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# The workers' limit on one SQL statement, in seconds (settings.py reads it):
# well under `timeout`, so that PostgreSQL cancels a runaway query and the
# visitor gets the "taking too long" page rather than a killed worker while
# the query runs on. The slowest statement of any page at scale 100 takes
# about 10 ms. The workers inherit this process's environment.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "15")
# The limit on a brochure PDF's render, in seconds (settings.py reads it), for
# the same reason: half of `timeout`.
os.environ.setdefault("PDF_RENDER_TIMEOUT", str(timeout / 2))
# Seconds an idle keep-alive connection from the proxy stays open.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Restart each worker after this many requests (plus jitter, so they do not
# all restart at once): bounds the memory a long-lived worker can gather.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The portal is imported once, in the master, and each worker is forked from
# it: a worker that max_requests replaces serves again at once, where
# importing Django took it 1.2-1.6 s while requests queued behind it (the p99
# of `make load`), and the workers share the imported code's memory. New code
# therefore takes a restart of the service, not a HUP. GUNICORN_PRELOAD=0
# imports the portal in each worker instead.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"


def when_ready(server):
    """Before the first worker is forked: no database connection opened in
    the master may be inherited (two processes on one socket). The portal
    opens none when imported; this keeps it so if a module ever queries then."""
    if preload_app:
        from django.db import connections

        connections.close_all()


# The addresses of the proxy in front of gunicorn: only from them are
# X-Forwarded-Proto and friends honoured. Comma-separated addresses or
# networks; "*" trusts every peer (only when nothing else can reach gunicorn).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs: access log on stdout, one line per request (the client as the proxy
# passed it, the status, the size, the duration in milliseconds); errors and
# gunicorn's own messages on stderr. Both are for the service manager's
# journal (or the container runtime) to keep.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%(h)s forwarded_for="%({x-forwarded-for}i)s" [%(t)s] "%(r)s" %(s)s %(b)s '
    '%(M)sms "%(f)s" "%(a)s"'
)
