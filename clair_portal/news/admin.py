"""Staff write news and publications: drafts, a preview as the public will
see it, publication now or at a set time."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.admin import (
    PhotoInline,
    TranslatedEditAdmin,
    TranslatedTabularInline,
)
from clair_portal.foundation.file_checks import MAX_ATTACHMENT_SIZE, validate_attachment

from .links import linked_record
from .models import NewsAttachment, NewsItem, NewsLink, Publication
from .selectors import news_with_details
from .views import news_page_context


class NewsLinkInline(admin.TabularInline):
    model = NewsLink
    extra = 0
    fields = ["content_type", "object_id", "position", "record_shown"]
    readonly_fields = ["record_shown"]

    @admin.display(description=_("record"))
    def record_shown(self, link):
        record = linked_record(link.record) if link.pk else None
        if record is None:
            return "—"
        return f"{record.kind}: {record.title}"


class CheckedFileForm(forms.ModelForm):
    """A file offered for download from the office's site is checked as a
    requester's attachment is, by its content (PDF, Office, JPEG, PNG): an
    HTML page or a program renamed .pdf is refused. `max_file_size`: None
    for any size (a publication may be a whole brochure)."""

    max_file_size = None

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):  # a new upload, not the kept file
            validate_attachment(file, max_size=self.max_file_size)
        return file


class NewsAttachmentForm(CheckedFileForm):
    max_file_size = MAX_ATTACHMENT_SIZE


class NewsAttachmentInline(TranslatedTabularInline):
    model = NewsAttachment
    form = NewsAttachmentForm
    fields = ["file", "label", "position"]


@admin.register(NewsItem)
class NewsItemAdmin(TranslatedEditAdmin):
    list_display = ["title", "category", "status", "published_at", "shown"]
    list_filter = ["status", "category"]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    readonly_fields = ["preview_links"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "summary", "body", "category", "original_language"]},
        ),
        (_("Publication"), {"fields": ["status", "published_at", "preview_links"]}),
    ]
    inlines = [NewsAttachmentInline, PhotoInline, NewsLinkInline]

    @admin.display(description=_("shown to the public"), boolean=True)
    def shown(self, item):
        return item.is_visible

    @admin.display(description=_("preview"))
    def preview_links(self, item):
        if not item.pk:
            return _("Save the draft to preview it.")
        return format_html_join(
            " · ",
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            (
                (
                    reverse("admin:news_newsitem_preview", args=[item.pk, code]),
                    name,
                )
                for code, name in self.preview_languages()
            ),
        )

    @staticmethod
    def preview_languages():
        return settings.LANGUAGES

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/<str:language>/",
                self.admin_site.admin_view(self.preview_view),
                name="news_newsitem_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk, language):
        """The item's public page, drafts included, in `language`: the same
        template the public gets, marked as a preview, kept by nobody."""
        if language not in dict(self.preview_languages()):
            raise Http404
        item = news_with_details(NewsItem.objects.filter(pk=pk)).first()
        if item is None:
            raise Http404
        if not self.has_view_permission(request, item):
            raise PermissionDenied
        with translation.override(language):
            context = {
                "item": item,
                "preview": True,
                "preview_visible": item.is_visible,
                **news_page_context(item),
            }
            response = TemplateResponse(request, "news/detail.html", context)
            response.render()
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response


@admin.register(Publication)
class PublicationAdmin(TranslatedEditAdmin):
    form = CheckedFileForm
    list_display = ["title", "kind", "date", "fiscal_year", "is_public"]
    list_filter = ["is_public", "kind", "fiscal_year"]
    search_fields = ["title"]
    readonly_fields = ["fiscal_year", "download"]
    fields = [
        "title",
        "summary",
        "kind",
        "date",
        "fiscal_year",
        "file",
        "download",
        "is_public",
    ]

    @admin.display(description=_("download"))
    def download(self, publication):
        if not publication.pk or not publication.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            publication.get_download_url(),
            _("Download the file"),
        )
