"""Rendered brochure PDFs, kept where every worker and server finds them.

A PDF takes seconds of CPU to render, so each is rendered once per release,
version of what the brochure reads and language, and kept in the
private storage (STORAGES["private"]: this machine's disk, or S3 when scaled
out). Renders of one year and language take turns on a PostgreSQL advisory
lock: requests that arrive while one renders wait for it, then read its file,
instead of each starting their own. Writing a new version removes that year
and language's older files.

A render that fails (past settings.PDF_RENDER_TIMEOUT, or an error) leaves a
mark in its place: for RETRY_FAILED_RENDER_AFTER seconds, requests for that
version get the "taking too long" page (503) at once, instead of each holding
a worker for a render that would fail again.

Off with the page cache (settings.PAGE_CACHE), as while developing: an
edited template or stylesheet then shows at once.
"""

import hashlib
import logging
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError, connections, router, transaction
from django.db.models import Count
from django.http import Http404
from django.utils.text import slugify

from clair_portal.foundation.middleware import TakingTooLong
from clair_portal.foundation.models import ContentVersion
from clair_portal.foundation.page_cache import content_token, tables_read
from support_requests.models import COUNTED, SupportRequest

from .reads import BROCHURE_READS

DIRECTORY = "brochure-pdf"
# A stored PDF's version: the page cache's token of the tables the brochure
# reads, but for the support requests, of which it reads only how many of each
# kind the desk took up in the year (requests_digest). Every request sent from the
# public form changes that table: under its token, each one retired every
# year's PDFs, and the next visitors waited for renders (16 to 19 s a year at
# scale 100, past the web's statement timeout for those queued behind one).
VERSION_READS = tuple(model for model in BROCHURE_READS if model is not SupportRequest)
# The last line of a complete PDF: a file cut short by a crash while being
# written is rendered again rather than served.
END_OF_FILE = b"%%EOF"
# Seconds a version whose render failed is not rendered again.
RETRY_FAILED_RENDER_AFTER = 600

logger = logging.getLogger(__name__)


def stored_brochure_pdf(
    *, fiscal_year: int, language: str, render: Callable[[], bytes]
) -> bytes:
    """The brochure of `fiscal_year` in `language` as PDF, for the current
    version of the tables it reads: the stored file, or `render()`'s, called by one request
    at a time (the others wait for it and read its file). Http404 and
    database errors from `render` pass through, and nothing is stored; any
    other error (RenderTimeout among them) is logged, marked in the store,
    and raised as TakingTooLong, as it is for this version's requests in the
    next RETRY_FAILED_RENDER_AFTER seconds.

    Side effects: holds a transaction-level advisory lock on the primary
    database while it renders; writes the PDF, or the mark of a failed
    render, into the private storage and deletes the same year and
    language's files of other versions and releases."""
    if not settings.PAGE_CACHE:
        return render()
    storage = storages["private"]
    name = stored_name(fiscal_year, language, _version(fiscal_year))
    found = _read(storage, name)
    if found is not None:
        return found
    _refuse_a_failed_render(storage, name)
    database = router.db_for_write(ContentVersion)
    with transaction.atomic(using=database):
        with connections[database].cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"{DIRECTORY}/{fiscal_year}/{language}"],
            )
        # Read again once the lock is held: the render that held it may have
        # stored this version. The token is read before the render reads the
        # data, so a file is never kept under a version newer than its data.
        name = stored_name(fiscal_year, language, _version(fiscal_year))
        found = _read(storage, name)
        if found is not None:
            return found
        _refuse_a_failed_render(storage, name)
        try:
            pdf = render()
        except (Http404, DatabaseError):
            raise
        except Exception as error:
            logger.exception("Brochure FY%s (%s): no PDF", fiscal_year, language)
            failed = _failed_name(name)
            _write(storage, failed, str(time.time()).encode())
            _delete_other_versions(storage, failed)
            raise TakingTooLong(
                f"the PDF's render failed ({error.__class__.__name__})",
                retry_after=RETRY_FAILED_RENDER_AFTER,
            ) from error
        _write(storage, name, pdf)  # in place of one cut short: see END_OF_FILE
        _delete_other_versions(storage, name)
    return pdf


def requests_digest(fiscal_year: int) -> str:
    """What the brochure of `fiscal_year` reads of the support requests: how
    many of each kind the desk took up that year (clair_portal/features/
    brochure/sections.py, requests_of_the_year and requests_taken_up), as a
    short digest. A request of another year, or one not yet taken up, leaves
    it as it was."""
    counts = (
        SupportRequest.objects.filter(COUNTED, fiscal_year=fiscal_year)
        .values_list("kind")
        .annotate(count=Count("*"))
        .order_by("kind")
    )
    return hashlib.blake2b(repr(list(counts)).encode(), digest_size=6).hexdigest()


def _version(fiscal_year: int) -> str:
    # Read before the render reads the data (see stored_brochure_pdf).
    return f"{content_token(tables_read(VERSION_READS))}-{requests_digest(fiscal_year)}"


def stored_name(fiscal_year: int, language: str, token: str) -> str:
    release = slugify(settings.RELEASE) or "unreleased"
    return f"{DIRECTORY}/{fiscal_year}/{language}/{release}-{token}.pdf"


def _failed_name(name: str) -> str:
    return f"{name.removesuffix('.pdf')}.failed"


def _refuse_a_failed_render(storage, name: str) -> None:
    """TakingTooLong if the render of `name` failed less than
    RETRY_FAILED_RENDER_AFTER seconds ago."""
    failed = _read_bytes(storage, _failed_name(name))
    try:
        left = float(failed) + RETRY_FAILED_RENDER_AFTER - time.time()
    except (TypeError, ValueError):  # no mark, or one cut short
        return
    if left > 0:
        raise TakingTooLong(
            "the PDF's render failed a moment ago", retry_after=math.ceil(left)
        )


def _read_bytes(storage, name: str) -> bytes | None:
    if not storage.exists(name):
        return None
    try:
        with storage.open(name, "rb") as stored:
            return stored.read()
    except FileNotFoundError:  # deleted by the writer of a newer version
        return None


def _read(storage, name: str) -> bytes | None:
    content = _read_bytes(storage, name)
    if content is None:
        return None
    return content if content.rstrip().endswith(END_OF_FILE) else None


def _write(storage, name: str, content: bytes) -> None:
    if storage.exists(name):  # save() would pick another name
        storage.delete(name)
    storage.save(name, ContentFile(content))


def _delete_other_versions(storage, name: str) -> None:
    directory, _slash, kept = name.rpartition("/")
    _directories, files = storage.listdir(directory)
    for file in files:
        if file != kept:
            storage.delete(f"{directory}/{file}")
