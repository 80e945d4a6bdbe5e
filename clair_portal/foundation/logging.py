"""Structured logs: one JSON object per line, for the log collector.

Each line has `time` (ISO 8601 with the offset), `level`, `logger` and
`message`; `exc_info` when a traceback comes with it; `method`, `path` and
`status` for the records django.request and django.server write about a
request; and any scalar `extra` a caller passed. A traceback stays inside its
line (JSON escapes the newlines), so a collector never splits one error into
many records.
"""

import datetime
import json
import logging
import re

from django.conf import settings
from django.utils.log import AdminEmailHandler

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
TRACKING_TOKEN = re.compile(r"(/track/)[^/?#\s]+")


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
    URL, PATH_INFO, the Referer...) as they are out of the logs."""

    def send_mail(self, subject, message, *args, **kwargs):
        from .tasks import send_error_mail  # the tasks need the apps loaded

        if not settings.ADMINS:
            return
        html_message = kwargs.get("html_message")
        try:
            send_error_mail.defer(
                subject=redact(subject),
                message=redact(message),
                html_message=redact(html_message) if html_message else None,
            )
        except Exception:  # noqa: BLE001 - the database may be the error
            logging.getLogger(__name__).warning(
                "The error mail could not be queued; the error is in the log."
            )
