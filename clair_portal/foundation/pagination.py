"""A paginator that reads a page's rows and the list's length in one query."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Window

TOTAL = "paginator_total"
# PostgreSQL's OFFSET is a bigint: a page number past it would be a database
# error rather than an empty page.
MAX_OFFSET = 2**63 - 1


class OneQueryPaginator(Paginator):
    """Django's Paginator counts the list (one query) and then reads the page
    (another); this one reads the page with the count beside each row
    (COUNT(*) OVER ()), so that a list page costs one query whether it holds
    rows or not. A page past the end holds no rows, and is refused without
    counting. Orphans are not supported: each page is `per_page` rows."""

    def __init__(self, object_list, per_page, orphans=0, **kwargs):
        if orphans:
            raise ValueError("OneQueryPaginator does not support orphans.")
        super().__init__(object_list, per_page, **kwargs)

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page > MAX_OFFSET:
            raise EmptyPage(self.error_messages["no_results"])
        rows = list(
            self.object_list.annotate(**{TOTAL: Window(Count("*"))})[
                bottom : bottom + self.per_page
            ]
        )
        if rows:
            self.count = getattr(rows[0], TOTAL)
        elif number == 1 and self.allow_empty_first_page:
            self.count = 0
        else:
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(rows, number, self)
