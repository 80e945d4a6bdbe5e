import logging
import time

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from clair_portal.foundation.links import absolute_url

from .export import zip_chunks, zip_filename
from .forms import BrochureExportForm
from .pdf_store import stored_brochure_pdf
from .sections import available_fiscal_years, export_permissions
from .selectors import printed_brochure

logger = logging.getLogger(__name__)


def brochure_url(fiscal_year: int, language: str, *, pdf: bool = False) -> str:
    with translation.override(language):
        name = "brochure:pdf" if pdf else "brochure:detail"
        return reverse(name, kwargs={"fiscal_year": fiscal_year})


class BrochureView(TemplateView):
    """The brochure of a fiscal year, laid out for A4 print."""

    template_name = "brochure/brochure.html"

    def get_context_data(self, **kwargs):
        brochure = printed_brochure(self.kwargs["fiscal_year"])
        if brochure is None:
            raise Http404("No brochure data for this fiscal year.")
        return super().get_context_data(brochure=brochure, **kwargs)


class BrochurePdfView(BrochureView):
    """The same page as PDF, with its fonts embedded: rendered once per
    content version and language, then read from the store (pdf_store)."""

    def get(self, request, *args, **kwargs):
        fiscal_year = self.kwargs["fiscal_year"]
        language = translation.get_language()
        pdf = stored_brochure_pdf(
            fiscal_year=fiscal_year, language=language, render=self.render_pdf
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"clair-beijing-brochure-fy{fiscal_year}-{language}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    def render_pdf(self) -> bytes:
        # WeasyPrint loads Pango and its fonts: only when a PDF is rendered.
        from .pdf import render_pdf

        started = time.perf_counter()
        html = render_to_string(
            self.template_name,
            {**self.get_context_data(**self.kwargs), "for_pdf": True},
            request=self.request,
        )
        # Links in the PDF resolve against the public address, not the Host
        # this request happened to carry: the file is served to everyone.
        pdf = render_pdf(html, base_url=absolute_url("/"))
        logger.info(
            "Brochure FY%s (%s) rendered as PDF in %.2f s",
            self.kwargs["fiscal_year"],
            translation.get_language(),
            time.perf_counter() - started,
        )
        return pdf


def can_export(user) -> bool:
    return user.is_active and user.is_staff and user.has_perms(export_permissions())


def brochure_export_view(request):
    """Admin page: choose a fiscal year and a language, then download the
    CSV files as one ZIP, or open the printable brochure or its PDF."""
    if not can_export(request.user):
        raise PermissionDenied
    fiscal_years = available_fiscal_years()
    languages = [code for code, _name in settings.LANGUAGES]
    current = translation.get_language()
    form = BrochureExportForm(
        request.GET or None,
        fiscal_years=fiscal_years,
        initial={
            "fiscal_year": fiscal_years[0] if fiscal_years else None,
            "language": current if current in languages else languages[0],
        },
    )
    if form.is_valid():
        fiscal_year = form.cleaned_data["fiscal_year"]
        language = form.cleaned_data["language"]
        output = form.cleaned_data["output"] or "zip"
        if output != "zip":
            return redirect(brochure_url(fiscal_year, language, pdf=output == "pdf"))
        response = StreamingHttpResponse(
            zip_chunks(fiscal_year=fiscal_year, language=language),
            content_type="application/zip",
        )
        filename = zip_filename(fiscal_year, language)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    links = []
    if fiscal_years:
        year = fiscal_years[0]
        links = [
            {
                "fiscal_year": year,
                "language": name,
                "code": code,
                "html": brochure_url(year, code),
                "pdf": brochure_url(year, code, pdf=True),
            }
            for code, name in settings.LANGUAGES
        ]
    context = {
        **admin.site.each_context(request),
        "title": _("Export the brochure"),
        "form": form,
        "links": links,
    }
    return TemplateResponse(request, "brochure/admin_export.html", context)
