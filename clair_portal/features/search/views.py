"""The search page: the query from the header's box, its results."""

from django.core.paginator import Paginator
from django.utils import translation
from django.views.generic import TemplateView

from clair_portal.foundation.pagination import MAX_OFFSET
from clair_portal.foundation.searchable import search_sources

from .selectors import search_page
from .text import MAX_QUERY_LENGTH, highlighted, query_terms, snippet

RESULTS_PER_PAGE = 10
# Past it, the page's OFFSET would overflow PostgreSQL's bigint (a 500 before);
# any page past the last shows the last.
LAST_PAGE_NUMBER = MAX_OFFSET // RESULTS_PER_PAGE


def _page_number(value) -> int:
    try:
        return min(max(1, int(value)), LAST_PAGE_NUMBER)
    except (TypeError, ValueError):
        return 1


def _in_language(url: str, url_language: str, language: str) -> str:
    """The page in the visitor's language, whichever language's text
    matched (the portal's paths differ by their language prefix only)."""
    prefix = f"/{url_language}/"
    if url.startswith(prefix):
        return f"/{language}/" + url.removeprefix(prefix)
    return url


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        context = super().get_context_data(
            query=query[:MAX_QUERY_LENGTH],
            # The header's search box shows it again.
            site_search_query=query[:MAX_QUERY_LENGTH],
            max_length=MAX_QUERY_LENGTH,
            **kwargs,
        )
        if not query:
            return {**context, "problem": "empty"}
        if len(query) > MAX_QUERY_LENGTH:
            return {**context, "problem": "too_long"}
        terms = query_terms(query)
        if not terms:
            return {**context, "problem": "no_words"}
        language = translation.get_language()
        number = _page_number(self.request.GET.get("page"))
        found = search_page(
            terms=terms,
            language=language,
            limit=RESULTS_PER_PAGE,
            offset=(number - 1) * RESULTS_PER_PAGE,
        )
        if not found.documents and number > 1:  # past the last page: the last
            total = search_page(terms=terms, language=language, limit=1, offset=0).total
            number = max(1, -(-total // RESULTS_PER_PAGE))
            found = search_page(
                terms=terms,
                language=language,
                limit=RESULTS_PER_PAGE,
                offset=(number - 1) * RESULTS_PER_PAGE,
            )
        # The pager counts the records found without holding them.
        paginator = Paginator(range(found.total), RESULTS_PER_PAGE)
        page = paginator.get_page(number)
        sources = search_sources()
        results = [
            {
                "kind": sources[doc.source].kind if doc.source in sources else "",
                "title": highlighted(doc.title, terms),
                "snippet": snippet(doc.body, terms),
                "url": _in_language(doc.url, doc.language, language),
                "date": doc.date,
                "language": doc.language,
                "other_language": doc.language != language,
            }
            for doc in found.documents
        ]
        return {
            **context,
            "terms": terms,
            "results": results,
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
        }

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # Results are not pages of their own for search engines.
        response["X-Robots-Tag"] = "noindex"
        return response
