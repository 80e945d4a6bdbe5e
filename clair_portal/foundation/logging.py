"""Structured logs: one JSON object per line, for the log collector.

Each line has `time` (ISO 8601 with the offset), `level`, `logger` and
`message`; `exc_info` when a traceback comes with it; `method`, `path` and
`status` for the records django.request and django.server write about a
request; and any scalar `extra` a caller passed. A traceback stays inside its
line (JSON escapes the newlines), so a collector never splits one error into
many records.
"""

import datetime
import hashlib
import json
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.log import AdminEmailHandler
from django.views.debug import SafeExceptionReporterFilter

# The attributes every LogRecord has (anything else came from `extra`), and
# the request and status that become method, path and status.
SKIPPED = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "request",
    "status_code",
}

# A tracking page's token is the requester's key to their request: it never
# goes into a log (a log is read by more people than the support desk).
# "/track/" also percent-encoded letter by letter ("/%74rack/"), which Django
# decodes to the same page, and with its slashes encoded ("%2Ftrack%2F", as
# Outlook's Safe Links rewrite a link inside their own).
TRACKING_TOKEN = re.compile(
    r"((?:/|%2f)(?:t|%74)(?:r|%72)(?:a|%61)(?:c|%63)(?:k|%6b)(?:/|%2f))"
    r"(?:(?!%2f)[^/?#&\s])+",
    re.IGNORECASE,
)


def redact(path: str) -> str:
    return TRACKING_TOKEN.sub(r"\1…", path)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created)
            .astimezone()
            .isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = redact(request.path)
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        for key, value in record.__dict__.items():
            if key in SKIPPED or key in entry or key.startswith("_"):
                continue
            if isinstance(value, str | int | float | bool) or value is None:
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class WorkerAdminEmailHandler(AdminEmailHandler):
    """Django's error mail to ADMINS, handed to the worker rather than sent
    in the request (a hung mail server must not hold a worker on top of the
    error), with tracking tokens taken out of its subject and report (the
    URL, PATH_INFO, the Referer...) as they are out of the logs.

    One mail per distinct subject (the error and its path) per
    ERROR_MAIL_INTERVAL, and at most ERROR_MAILS_PER_INTERVAL in all: a
    scripted flood of errors must not flood the admins, nor hold the worker
    ahead of requesters' mail (error mails also go at a lower priority)."""

    def send_mail(self, subject, message, *args, **kwargs):
        from .tasks import send_error_mail  # the tasks need the apps loaded

        if not settings.ADMINS or not _error_mail_allowed(subject):
            return
        html_message = kwargs.get("html_message")
        try:
            send_error_mail.configure(priority=ERROR_MAIL_PRIORITY).defer(
                subject=redact(subject),
                message=redact(message),
                html_message=redact(html_message) if html_message else None,
            )
        except Exception:  # noqa: BLE001 - the database may be the error
            logging.getLogger(__name__).warning(
                "The error mail could not be queued; the error is in the log."
            )


ERROR_MAIL_INTERVAL = 10 * 60  # seconds
ERROR_MAILS_PER_INTERVAL = 20
# Below the default (0): the worker takes requesters' mail first.
ERROR_MAIL_PRIORITY = -10


def _error_mail_allowed(subject: str) -> bool:
    """Count error mails in the cache (shared by every process when CACHE_URL
    is set, else per process)."""
    window = int(time.time() // ERROR_MAIL_INTERVAL)
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    if not cache.add(f"error-mail:{window}:{digest}", 1, ERROR_MAIL_INTERVAL):
        return False
    counter = f"error-mails:{window}"
    cache.add(counter, 0, ERROR_MAIL_INTERVAL)
    return cache.incr(counter) <= ERROR_MAILS_PER_INTERVAL


class NoPostDataReporterFilter(SafeExceptionReporterFilter):
    """DEFAULT_EXCEPTION_REPORTER_FILTER: error reports show which fields a
    POST had, never their values (the public forms carry requesters' names,
    addresses and texts, which an error mail must not spread)."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {name: self.cleansed_substitute for name in request.POST}
