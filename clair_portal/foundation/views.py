from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import admin
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .editions import program_texts


class ProgramPageMixin:
    """A program's page: its texts in the context (editions.ProgramTexts), as
    `texts`, and the newest edition's introduction as `intro`."""

    program = None

    def get_context_data(self, **kwargs):
        texts = program_texts([self.program])[self.program]
        return super().get_context_data(texts=texts, intro=texts.intro, **kwargs)


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


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form was sent without a valid security token (an
    old page, cookies blocked, a browser that hid the page's origin). The
    portal's own page in the visitor's language, saying what to do; the reason
    is for the log only."""
    return TemplateResponse(request, "403_csrf.html", status=403)
