"""The printed brochure as PDF, rendered by WeasyPrint from the page's HTML.

WeasyPrint fetches the page's stylesheets and images itself: LocalFileFetcher
reads them from disk (static files from STATIC_ROOT or the finders, photos
from MEDIA_ROOT) and refuses anything else, so rendering never makes an HTTP
request, not even to the portal itself. Fonts come from fontconfig: the
print stylesheet names Noto Sans CJK JP for :lang(ja) and SC for
:lang(zh-Hans), and WeasyPrint embeds the subsets it uses.

A render is stopped after settings.PDF_RENDER_TIMEOUT seconds (RenderTimeout),
well before gunicorn would kill the worker: the visitor then gets the portal's
"taking too long" page in their language (pdf_store), not gunicorn's error.
"""

import contextlib
import logging
import mimetypes
import signal
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join

# WeasyPrint reports every step at INFO (from its import on), which the root
# logger would print.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402


def _url_path_prefix(url: str) -> str:
    path = urlsplit(url).path
    return path if path.startswith("/") else f"/{path}"


def find_static(name: str) -> Path | None:
    """A static file: collected (hashed names in production), else found by
    the finders (development and tests)."""
    try:
        collected = Path(safe_join(settings.STATIC_ROOT, name))
        if collected.is_file():
            return collected
        found = finders.find(name)
    except SuspiciousFileOperation:  # a path out of the static directories
        return None
    return Path(found) if found else None


def find_media(name: str) -> Path | None:
    try:
        path = Path(safe_join(settings.MEDIA_ROOT, name))
    except SuspiciousFileOperation:
        return None
    return path if path.is_file() else None


class LocalFileFetcher(URLFetcher):
    """Serves /static/ and /media/ URLs from disk, data: URLs as they are,
    and nothing else."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=["http", "https", "data"], **kwargs)
        self.locations = [
            (_url_path_prefix(settings.STATIC_URL), find_static),
            (_url_path_prefix(settings.MEDIA_URL), find_media),
        ]

    def fetch(self, url, headers=None):
        if urlsplit(url).scheme == "data":
            return super().fetch(url, headers)
        path = unquote(urlsplit(url).path)
        for prefix, find in self.locations:
            if path.startswith(prefix):
                found = find(path.removeprefix(prefix))
                if found:
                    content_type = mimetypes.guess_type(found.name)[0]
                    return URLFetcherResponse(
                        url,
                        found.read_bytes(),
                        {"Content-Type": content_type or "application/octet-stream"},
                    )
        raise ValueError(f"Not a local static or media file: {url}")


class RenderTimeout(Exception):
    """A render ran past settings.PDF_RENDER_TIMEOUT."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise RenderTimeout inside the block once it has run `seconds` (none
    when 0). SIGALRM, so only in the main thread, where gunicorn's sync
    workers serve requests; in another thread (runserver) the block runs
    unbounded. Raised again each second after that, in case code in the block
    catches it."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise RenderTimeout(f"PDF render stopped after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of a page's HTML; `base_url` resolves its relative URLs.
    RenderTimeout past settings.PDF_RENDER_TIMEOUT."""
    with time_limit(settings.PDF_RENDER_TIMEOUT):
        document = HTML(string=html, base_url=base_url, url_fetcher=LocalFileFetcher())
        return document.write_pdf()
