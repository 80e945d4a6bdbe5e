"""The public pages of the news and publications, their feed and files."""

import posixpath

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView
from modeltranslation.utils import build_localized_fieldname

from clair_portal.foundation.links import absolute_url
from clair_portal.foundation.pagination import OneQueryPaginator
from clair_portal.foundation.plain_text import (
    clean_file_name,
    clean_line,
    clean_text,
)

from .links import linked_record
from .markup import plain_text, render_markdown
from .models import NewsItem, Publication
from .selectors import (
    news_fiscal_years,
    news_visible,
    news_with_details,
    publications_public,
)

NEWS_PER_PAGE = 20
FEED_ITEMS = 20


class PagedListMixin:
    # One query a page, whether the list is empty or not.
    paginator_class = OneQueryPaginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        )
        return context


class NewsListView(PagedListMixin, ListView):
    """The newest news, or one fiscal year's (the archive), by category."""

    template_name = "news/list.html"
    context_object_name = "news"
    paginate_by = NEWS_PER_PAGE

    def get_queryset(self):
        queryset = news_visible()
        self.fiscal_years = news_fiscal_years()
        self.fiscal_year = self.kwargs.get("fiscal_year")
        if self.fiscal_year is not None:
            # An archive is a year with news: any other is not found (year 0
            # or 10000 has no dates at all, and was a 500).
            if self.fiscal_year not in self.fiscal_years:
                raise Http404("No news in this fiscal year.")
            queryset = queryset.of_fiscal_year(self.fiscal_year)
        self.category = self.request.GET.get("category", "")
        if self.category in NewsItem.Category.values:
            queryset = queryset.filter(category=self.category)
        else:
            self.category = ""
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            fiscal_year=self.fiscal_year,
            fiscal_years=self.fiscal_years,
            categories=NewsItem.Category.choices,
            category=self.category,
            **kwargs,
        )


class NewsDetailView(DetailView):
    template_name = "news/detail.html"
    context_object_name = "item"

    def get_object(self, queryset=None):
        return get_object_or_404(
            news_with_details(news_visible()), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**news_page_context(self.object), **kwargs)


def news_page_context(item: NewsItem) -> dict:
    """What a news item's page shows beside the item: its text as HTML in
    the page's language (or the other, marked), its linked records."""
    language = translation.get_language()
    return {
        "body_html": render_markdown(item.body or ""),
        "body_language": _text_language(item, "body", language),
        "is_translation": item.original_language != language,
        "original_language_name": dict(settings.LANGUAGES)[item.original_language],
        "original_language": item.original_language,
        "linked": [
            record
            for record in (linked_record(link.record) for link in item.links.all())
            if record is not None
        ],
    }


def _text_language(item, field, language):
    """The language the page shows a translated field in: the page's, or the
    other when the page's is empty."""
    filled = [
        code
        for code, _name in settings.LANGUAGES
        if getattr(item, build_localized_fieldname(field, code))
    ]
    return language if language in filled or not filled else filled[0]


def news_attachment(request, pk, file_id):
    """A news item's file: while the item is visible, or to staff who may
    see news (the admin's preview)."""
    items = NewsItem.objects.all()
    if not request.user.has_perm("news.view_newsitem"):
        items = items.visible()
    item = get_object_or_404(items, pk=pk)
    attachment = get_object_or_404(item.attachments, pk=file_id)
    return _file_response(
        attachment.file, named=attachment.label, private=not item.is_visible
    )


class NewsFeed(Feed):
    """The newest news in the page's language (Atom), absolute links from
    settings.SITE_URL."""

    feed_type = Atom1Feed

    def title(self):
        return _("CLAIR Beijing Office: news")

    def subtitle(self):
        return _(
            "News of the Beijing office of CLAIR and of Japanese local governments in China."
        )

    def link(self):
        return absolute_url(reverse("news:list"))

    def feed_url(self):
        return absolute_url(reverse("news:feed"))

    def items(self):
        return news_visible()[:FEED_ITEMS]

    # XML refuses control characters: text kept before the admin cleaned it
    # (clair_portal/foundation/plain_text.py) must not make the feed a 500.
    def item_title(self, item):
        return clean_line(item.title)

    def item_description(self, item):
        return clean_text(item.summary or plain_text(item.body)[:200])

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        return [item.get_category_display()]


class PublicationListView(PagedListMixin, ListView):
    template_name = "news/publication_list.html"
    context_object_name = "publications"
    paginate_by = NEWS_PER_PAGE

    def get_queryset(self):
        return publications_public()


class PublicationDetailView(DetailView):
    template_name = "news/publication_detail.html"
    context_object_name = "publication"

    def get_object(self, queryset=None):
        return get_object_or_404(publications_public(), pk=self.kwargs["pk"])


def publication_download(request, pk):
    """A publication's file: to everyone when it is public, to staff who may
    see publications otherwise; a 404 to anyone else, as if there were none."""
    publications = Publication.objects.all()
    if not request.user.has_perm("news.view_publication"):
        publications = publications.filter(is_public=True)
    publication = get_object_or_404(publications, pk=pk)
    return _file_response(
        publication.file, named=publication.title, private=not publication.is_public
    )


def _file_response(field_file, *, named: str, private: bool) -> FileResponse:
    """The file, downloaded under its title in the page's language and its
    extension: the stored name had spaces made underscores and, for a second
    file of the same name, a random suffix (CLAIRレポート_第1号_lw6WdZb.pdf)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = posixpath.splitext(field_file.name)[1]
    # At most 80 characters: a file system takes 255 bytes, 85 kanji.
    filename = clean_file_name(named, default="file")[:80].replace("/", "／")
    filename += extension
    response = FileResponse(handle, as_attachment=True, filename=filename)
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
