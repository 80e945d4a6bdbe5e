"""The search's one read: the documents that hold every word of a query."""

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from .models import SearchDocument
from .text import Term

# Each record once: in the visitor's language when its text there holds every
# term, else in the other language. Those in the visitor's language first,
# then the newest. The page's rows and the number of records found come from
# one pass over the matches (the count is a window over them, taken before
# LIMIT). Each term is a LIKE on the index form, answered by the trigram
# index (searchdocument_folded_trgm).
SEARCH_SQL = """
WITH found AS (
    SELECT DISTINCT ON (source, object_id)
        id, (language <> %(language)s) AS other_language, date
    FROM search_searchdocument
    WHERE (visible_from IS NULL OR visible_from <= %(now)s) AND {conditions}
    ORDER BY source, object_id, (language <> %(language)s)
), page AS (
    SELECT id, other_language, date, count(*) OVER () AS total
    FROM found
    ORDER BY other_language, date DESC NULLS LAST, id
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT document.id, document.source, document.language, document.title,
    document.body, document.url, document.date, page.total
FROM page JOIN search_searchdocument AS document USING (id)
ORDER BY page.other_language, page.date DESC NULLS LAST, page.id
"""


@dataclass
class SearchPage:
    documents: list[SearchDocument]
    total: int


def search_page(
    *, terms: list[Term], language: str, limit: int, offset: int
) -> SearchPage:
    """One page of the records found by `terms`, and how many there are
    (0 when the offset is past the last: the caller asks for an earlier
    page). One query."""
    params = {
        "language": language,
        "limit": limit,
        "offset": offset,
        "now": timezone.now(),
    }
    conditions = []
    for number, term in enumerate(terms):
        conditions.append(f"folded LIKE %(term{number})s")
        params[f"term{number}"] = (
            f"%{connection.ops.prep_for_like_query(term.pattern)}%"
        )
    sql = SEARCH_SQL.format(conditions=" AND ".join(conditions))
    documents = list(SearchDocument.objects.raw(sql, params))
    return SearchPage(documents, documents[0].total if documents else 0)
