from functools import cache
from pathlib import Path

from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .editions import program_texts
from .places import places_matching


class ProgramPageMixin:
    """A program's page: its texts in the context (editions.ProgramTexts), as
    `texts`, and the newest edition's introduction as `intro`."""

    program = None

    def get_context_data(self, **kwargs):
        texts = program_texts([self.program])[self.program]
        return super().get_context_data(texts=texts, intro=texts.intro, **kwargs)


def place_suggestions(request, *, model):
    """The places of `model` whose names contain `q`, in either language or
    script, as JSON for the request forms' suggestions: at most
    places.MAX_MATCHES, each with its code, its full name in the page's
    language and its kind. Any `q` answers (an empty list for nothing)."""
    places = places_matching(model.objects.all(), request.GET.get("q", ""))
    return JsonResponse(
        {
            "places": [
                {
                    "code": place.code,
                    "label": place.full_name(),
                    "kind": place.get_kind_display(),
                }
                for place in places
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )


def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return HttpResponse(
            "database unavailable", status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")


@cache
def _favicon_bytes() -> bytes:
    path = finders.find("favicon.ico") or staticfiles_storage.path("favicon.ico")
    return Path(path).read_bytes()


def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for at the root whatever
    the page declares (static/favicon.ico)."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def signin_locked(request, original_response=None, credentials=None):
    """The page django-axes answers a locked-out sign-in with
    (AXES_LOCKOUT_CALLABLE): the admin's look, the visitor's language, 429."""
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": _("Sign-in locked"),
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(request, "admin/signin_locked.html", context, status=429)


def bad_request(request, exception):
    """handler400: the portal's page in the visitor's language. A form sent
    with more files than Django reads (DATA_UPLOAD_MAX_NUMBER_FILES: a whole
    folder chosen at once), more data than it takes or a body it cannot read
    is told so, and to go back, where the browser still holds what was typed;
    anything else is an address that no page takes."""
    context = {
        "too_many_files": isinstance(exception, TooManyFilesSent),
        "too_much_data": isinstance(exception, RequestDataTooBig | TooManyFieldsSent),
        "unreadable_form": isinstance(exception, MultiPartParserError),
    }
    return TemplateResponse(request, "400.html", context, status=400)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form was sent without a valid security token (an
    old page, cookies blocked, a browser that hid the page's origin). The
    portal's own page in the visitor's language, saying what to do; the reason
    is for the log only."""
    return TemplateResponse(request, "403_csrf.html", status=403)
