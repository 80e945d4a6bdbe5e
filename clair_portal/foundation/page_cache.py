"""Public pages cached whole until what they show changes.

PostgreSQL keeps a token per content table (ContentVersion, one row each)
that changes with every committed change to that table: a deferred trigger on
each table replaces its row's token when the writing transaction commits,
whatever wrote (the admin, the public forms, imports, bulk loads, raw SQL).
Each cached page declares the tables it reads (`reads`, plus the tables the
frame of every page reads, FRAME_READS); it is stored under the tokens of
those tables and no other, so a support request retires the support pages
that count requests and leaves the seminars, JET and exchange pages be. The
first request after a commit to a table a page reads renders it afresh, in
every worker and on every server; the check costs one query. The tokens are
also the page's ETag, so a browser that has the page gets 304 Not Modified
until one of its tables changes.

The release (settings.RELEASE) is part of the key too: a deploy that changes
templates or translations does not serve pages rendered by the code before.

A page is kept under its canonical address: the path, the language and the
query parameters the view declares it reads (a list's page number and
filters), each cut to PARAM_VALUE_LIMIT characters, in name order. Any other
parameter (`?n=<anything>`) is dropped before the view sees the request, so
it neither makes a new copy nor appears in the page's links. The Host header
is not part of the key: pages build absolute URLs from settings.SITE_URL
(clair_portal.foundation.links), never from the request.
"""

import hashlib
import re
from collections.abc import Iterable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import connections, models, router, transaction
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language

from .local_apps import local_models

# The public pages are made of the project's own apps' tables (LOCAL_APPS),
# but these, which no public page shows (a queued mail must not retire a
# cached page, nor a translation marked to review).
NOT_CONTENT = {
    "clair_portal.contentversion",
    "clair_portal.outgoingmail",
    "clair_portal.translationstate",
}

TRIGGER_NAME = "clair_content_changed"
# Once per table and transaction (the flag is local to it): a bulk load of
# thousands of rows replaces its table's token once, at commit, when the row
# lock on the version is held for the shortest time. The advisory lock lets
# one committing writer at a time replace tokens: two transactions that wrote
# the same tables in other orders then never deadlock on their versions.
TRIGGER_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_NAME}() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    flag text := 'clair_content_changed.' || TG_TABLE_NAME;
BEGIN
    IF coalesce(current_setting(flag, true), '') <> 'yes' THEN
        PERFORM set_config(flag, 'yes', true);
        PERFORM pg_advisory_xact_lock(hashtextextended('{TRIGGER_NAME}', 0));
        INSERT INTO clair_portal_contentversion ("table", token, changed_at)
            VALUES (TG_TABLE_NAME, gen_random_uuid(), now())
            ON CONFLICT ("table") DO UPDATE
            SET token = excluded.token, changed_at = excluded.changed_at;
    END IF;
    RETURN NULL;
END
$$;
"""
TRIGGER_SQL = """
CREATE CONSTRAINT TRIGGER {name}
    AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""

TOKEN_SQL = """
SELECT count(*), string_agg(token::text, ',' ORDER BY "table")
FROM clair_portal_contentversion WHERE "table" = ANY(%s)
"""
# A table whose row is missing (emptied by hand, or by a test's flush) gets
# a new token: a page is never kept under tokens that were once before.
MISSING_TOKENS_SQL = """
INSERT INTO clair_portal_contentversion ("table", token, changed_at)
SELECT unnest(%s::text[]), gen_random_uuid(), now()
ON CONFLICT ("table") DO NOTHING
"""
CACHE_ALIAS = "default"
# Pages are kept at most this long: a safety net, not the invalidation.
CACHE_SECONDS = 24 * 60 * 60
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
# Longer than any page number, year or code a page reads: a value beyond it
# is junk, and its tail must not make copies of the page.
PARAM_VALUE_LIMIT = 64


def content_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in local_models(include_auto_created=True)
        if model._meta.label_lower not in NOT_CONTENT
        and not model._meta.proxy
        and model._meta.managed
    )


def install_content_triggers(using: str = "default", **kwargs) -> None:
    """Put the trigger on every content table, and on no other, and give
    each its version row (post_migrate: a new table gets both with the
    migration that makes it)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    tables = content_tables()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(TRIGGER_FUNCTION_SQL)
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s",
            [TRIGGER_NAME],
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER {TRIGGER_NAME} ON {table}")
        for table in tables:
            cursor.execute(TRIGGER_SQL.format(name=TRIGGER_NAME, table=quote(table)))
        cursor.execute(MISSING_TOKENS_SQL, [tables])


def tables_read(reads: Iterable[type[models.Model]]) -> tuple[str, ...]:
    """The tables of `reads`, each model's own many-to-many tables with it,
    in name order."""
    tables = set()
    for model in reads:
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                tables.add(field.remote_field.through._meta.db_table)
    return tuple(sorted(tables))


def frame_reads() -> tuple[type[models.Model], ...]:
    """What the frame of every public page reads (templates/base.html: the
    office's addresses in the footer, as the newest edition printed them)."""
    from .models import BrochureEdition, OfficeContact

    return (OfficeContact, BrochureEdition)


def content_token(tables: Iterable[str]) -> str:
    """The current token of `tables` together: it changes when any of them
    changes. Read where the page's data is read (a replica when there is
    one), so a page is never kept under a newer token than its data. Plain
    SQL: it runs on every request, and the ORM's compiling of the query would
    cost as much as running it.

    Side effects: writes a version row for a table that has none."""
    from .models import ContentVersion

    tables = sorted(set(tables))
    database = router.db_for_read(ContentVersion)
    with connections[database].cursor() as cursor:
        cursor.execute(TOKEN_SQL, [tables])
        found, tokens = cursor.fetchone()
    if found < len(tables):
        database = router.db_for_write(ContentVersion)
        with connections[database].cursor() as cursor:
            cursor.execute(MISSING_TOKENS_SQL, [tables])
            cursor.execute(TOKEN_SQL, [tables])
            found, tokens = cursor.fetchone()
    return hashlib.sha256((tokens or "").encode()).hexdigest()[:32]


def canonical_query(query: QueryDict, params: Iterable[str]) -> QueryDict:
    """The parameters of `query` named in `params` and no other: one value
    each (the last, as QueryDict.get reads it) cut to PARAM_VALUE_LIMIT
    characters, in name order; a number in its one spelling ("01", " 1" and
    "1" are page 1, one copy)."""
    return QueryDict(
        urlencode(
            [
                (name, _canonical_value(query[name]))
                for name in sorted(set(params))
                if name in query
            ]
        )
    )


def _canonical_value(value: str) -> str:
    value = value.strip()[:PARAM_VALUE_LIMIT]
    if value.isascii() and value.isdigit():
        return str(int(value))
    return value


def _cache_key(request, token: str) -> str:
    address = f"{request.path}?{request.GET.urlencode()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{settings.RELEASE}:{token}:{get_language()}:{digest}"


def _cacheable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A page that read the session (messages, the signed-in user) is that
        # visitor's own.
        and not getattr(getattr(request, "session", None), "accessed", False)
        and "private" not in response.get("Cache-Control", "")
    )


def cache_public_page(
    view, *, reads: Iterable[type[models.Model]], params: Iterable[str] = ()
):
    """Serve GET and HEAD of a public page from the cache while the tables
    it reads stay the same; other methods (a form's POST) go to the view.
    `reads` names the models the view and its templates read (the frame's,
    frame_reads(), are added): a change to any other table keeps the page.
    `params` names the query parameters the view reads: the view sees only
    those (canonical_query), and the page is kept once per their values."""
    params = tuple(params)
    tables = tables_read((*reads, *frame_reads()))

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        request.GET = canonical_query(request.GET, params)
        if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        token = content_token(tables)
        cache = caches[CACHE_ALIAS]
        key = _cache_key(request, token)
        stored = cache.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if _cacheable(request, response):
                cache.set(key, _stored(response), CACHE_SECONDS)
        else:
            response = _restored(request, stored)
        # Browsers may keep a page but must ask each time whether it changed.
        patch_cache_control(response, no_cache=True)
        if response.status_code == 200 and not _has_form(response):
            # No ETag on a page with a form: a kept copy's CSRF token may be
            # one the browser's cookie no longer matches.
            response["ETag"] = f'"{settings.RELEASE}-{token}"'
            response = get_conditional_response(
                request, etag=response["ETag"], response=response
            )
        return response

    # For the test that each page declares every table it reads.
    cached_view.tables_read = tables
    return cached_view


def _stored(response) -> tuple:
    # A form's CSRF token belongs to its visitor: each copy gets its own.
    content = CSRF_FIELD.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() in ("content-type", "content-disposition", "content-language")
    }
    return content, headers


def _has_form(response) -> bool:
    return not response.streaming and b'name="csrfmiddlewaretoken"' in response.content


def _restored(request, stored: tuple) -> HttpResponse:
    content, headers = stored
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    return HttpResponse(content, headers=headers)
