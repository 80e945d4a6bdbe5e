"""Every public page answers with a constant, small number of queries.

Each page is requested in both languages at 1x data (the brochures, loaded by
tests/conftest.py) and at 20x (after generate_load_data --scale 20); the two
counts must be equal and at most MAX_QUERIES. The 20x data is generated once
for the module, inside a transaction that is rolled back.

To cover a new page, add it to PAGES.
"""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from clair_portal.features.load_data import generate_load_data

# Ordered with the database tests (pytest-django runs unmarked tests last, after
# live-server tests that empty the database). The tests themselves only read
# the counts that the module's fixture measured.
pytestmark = pytest.mark.django_db

# (URL name, URL kwargs) of every public page.
PAGES = [
    ("home", {}),
    ("office", {}),
    ("seminars:list", {}),
    ("seminars:detail", {"edition": 17}),
    ("seminars:csv", {}),
    ("support_requests:index", {}),
    ("support_requests:csv", {}),
    ("support_requests:request", {}),
    ("jet:index", {}),
    ("jet:csv", {}),
    ("exchange:index", {}),
    ("exchange:lgotp_csv", {}),
    ("exchange:travel_expos_csv", {}),
    ("exchange:cooking_events_csv", {}),
    ("exchange:livestreams_csv", {}),
    ("events", {}),
    ("experts:index", {}),
    ("experts:csv", {}),
    ("experts:request", {}),
    ("brochure:detail", {"fiscal_year": 2018}),
    # brochure:pdf is left out: it runs brochure:detail's queries, and rendering
    # the PDF takes seconds each time.
    ("django.contrib.sitemaps.views.sitemap", {}),
    ("news:feed", {}),
    ("search", {}),
    # The news and publications lists, a news item's page and the search with
    # a query: tests/news/test_news_queries.py (the brochures hold no news,
    # and an empty list skips the query of its rows).
]
LANGUAGES = ["ja", "zh-hans"]
MAX_QUERIES = 10
# Pages allowed more than MAX_QUERIES, by URL name: none. (The printable
# brochure, which reads every program's tables of a fiscal year, had 30; it
# now reads all of them and their photos in one query.)
MAX_QUERIES_OF: dict[str, int] = {}
SCALE = 20

CASES = [(name, kwargs, language) for name, kwargs in PAGES for language in LANGUAGES]


def case_id(case):
    name, kwargs, language = case
    return "-".join([name, *map(str, kwargs.values()), language])


class Measure:
    """The queries of one request: their count and SQL, or why it failed."""

    def __init__(self, client, case, warm_up=True):
        name, kwargs, language = case
        self.sql, self.error = [], None
        try:
            with translation.override(language):
                self.url = reverse(name, kwargs=kwargs)
        except Exception as error:  # noqa: BLE001 - a page not built yet
            self.url, self.error = name, f"{type(error).__name__}: {error}"
            return
        try:
            with transaction.atomic():  # a failing page leaves the others usable
                if warm_up:  # per-process caches (content types...) fill once
                    self.get(client)
                with CaptureQueriesContext(connection) as queries:
                    status = self.get(client)
                if status != 200:
                    self.error = f"answered {status}"
        except Exception as error:  # noqa: BLE001 - reported by the page's test
            self.error = f"{type(error).__name__}: {error}"
            return
        self.sql = [query["sql"] for query in queries.captured_queries]

    def get(self, client):
        response = client.get(self.url)
        if response.streaming:
            # The queries run while streaming. (No response.close(): the test
            # client has closed it, and closing again closes the connection.)
            b"".join(response.streaming_content)
        return response.status_code

    @property
    def count(self):
        return None if self.error else len(self.sql)

    def listing(self):
        return "\n".join(f"  {sql[:300]}" for sql in self.sql)

    def __str__(self):
        return self.error or str(self.count)


@pytest.fixture(scope="module")
def measures(django_db_setup, django_db_blocker):
    """{case: (measure at 1x, measure at 20x)}, the load data rolled back after."""
    client = Client()
    with django_db_blocker.unblock(), transaction.atomic():
        at_1x = {case_id(case): Measure(client, case) for case in CASES}
        generate_load_data(scale=SCALE)
        at_20x = {case_id(case): Measure(client, case, warm_up=False) for case in CASES}
        transaction.set_rollback(True)
    results = {key: (at_1x[key], at_20x[key]) for key in at_1x}
    width = max(map(len, results))
    print(f"\nQueries per page at 1x and {SCALE}x data:")
    for key, (one, many) in results.items():
        print(f"  {key:<{width}}  {one!s:>4}  {many!s:>4}")
    return results


@pytest.mark.parametrize("case", CASES, ids=map(case_id, CASES))
def test_query_count_is_constant_and_small(measures, case):
    one, many = measures[case_id(case)]
    summary = f"{one.url}: {one} queries at 1x, {many} at {SCALE}x data"
    assert one.error is None and many.error is None, summary
    if one.count != many.count:
        details = f"at 1x:\n{one.listing()}\nat {SCALE}x:\n{many.listing()}"
        pytest.fail(f"{summary}: grows with the data\n{details}")
    limit = MAX_QUERIES_OF.get(case[0], MAX_QUERIES)
    assert many.count <= limit, f"{summary}\n{many.listing()}"
