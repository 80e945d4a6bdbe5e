"""The search's one read: the documents that hold every word of a query."""

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone

from .models import SearchDocument
from .text import Term


def search_documents(*, terms: list[Term], language: str, now=None) -> QuerySet:
    """Each record found at most once: in `language` when its text there
    holds every term, else in the other language; those in `language`
    first, then the newest. Each term is a LIKE on the index form, which the
    trigram index answers."""
    matches = SearchDocument.objects.visible(now=now or timezone.now())
    for term in terms:
        matches = matches.filter(folded__contains=term.pattern)
    other_language = Case(
        When(language=language, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    best = (
        matches.order_by("source", "object_id", other_language)
        .distinct("source", "object_id")
        .values("id")
    )
    return (
        SearchDocument.objects.filter(id__in=best)
        .annotate(other_language=other_language)
        .order_by("other_language", F("date").desc(nulls_last=True), "id")
        .only("source", "language", "title", "body", "url", "date")
    )
