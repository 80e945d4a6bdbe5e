"""Middleware of the portal's own."""

import logging

from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from psycopg.errors import QueryCanceled

logger = logging.getLogger(__name__)

CONTROL_CHARACTERS = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r"}


def _has_control_character(text: str) -> bool:
    return not CONTROL_CHARACTERS.isdisjoint(text)


class RejectControlCharactersMiddleware:
    """Answer 400, with the portal's page in the visitor's language, when the
    path or a query parameter holds a NUL or another control character. No
    page of the portal uses one, PostgreSQL refuses NUL in any text, and
    without this a "%00" in a filter or search reached the database as a
    500 error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control_character(request.path) or any(
            _has_control_character(key) or _has_control_character(value)
            for key, values in request.GET.lists()
            for value in values
        ):
            response = TemplateResponse(request, "400.html", status=400)
            return response.render()
        return self.get_response(request)


# Seconds a visitor is asked to wait before trying a timed-out page again.
RETRY_AFTER_SECONDS = 30


class TakingTooLong(Exception):
    """Raised by a view whose work ran past its time limit, or did a moment
    ago: answered as a statement past the timeout is. `retry_after`: seconds
    before it is worth trying again."""

    def __init__(self, message: str = "", *, retry_after: int = RETRY_AFTER_SECONDS):
        super().__init__(message)
        self.retry_after = retry_after


class TakingTooLongMiddleware:
    """Answer 503, with a page in the visitor's language that asks them to try
    again, when the request took too long: PostgreSQL cancelled one of its
    statements for running past DATABASE_STATEMENT_TIMEOUT (settings), or the
    view raised TakingTooLong (the brochure PDF past PDF_RENDER_TIMEOUT).
    The page is rendered without the database (503.html, like 500.html): the
    database is what was slow. Any other database error stays a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        retry_after = RETRY_AFTER_SECONDS
        if isinstance(exception, TakingTooLong):
            retry_after = exception.retry_after
            logger.warning("%s %s: %s", request.method, request.path, exception)
        elif isinstance(exception, OperationalError) and isinstance(
            exception.__cause__, QueryCanceled
        ):
            logger.warning(
                "A statement of %s %s ran past the statement timeout",
                request.method,
                request.path,
                exc_info=exception,
            )
        else:
            return None
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(retry_after)
        add_never_cache_headers(response)
        return response
