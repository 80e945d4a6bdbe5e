"""Queries compiled once per process and run with this request's values.

Some queries run on every page (the footer's contacts) or are built from
hundreds of expressions (the printed brochure's sections): Django's building
and compiling of them cost more than PostgreSQL's running of them. Such a
query is compiled once, with a placeholder value that no record holds where
the request's value goes (a year, a day), and each request runs the SQL with
the placeholder replaced. The SQL depends only on the code and, where the
query reads translated columns, the active language: cache it per language.
"""

from collections.abc import Hashable

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet

Compiled = tuple[str, tuple]


def compile_query(queryset: QuerySet, *placeholders: Hashable) -> Compiled:
    """The SQL and parameters of `queryset`; raises ImproperlyConfigured if a
    placeholder is not among the parameters (it would never be replaced). A
    placeholder compared with a column must be in the column's range: Django
    compiles an impossible value (-1 for a positive integer) to no query."""
    sql, params = queryset.query.sql_with_params()
    for placeholder in placeholders:
        if placeholder not in params:
            raise ImproperlyConfigured(
                f"The compiled query has no parameter {placeholder!r} to replace."
            )
    return sql, params


def fetch(compiled: Compiled, values: dict | None = None) -> list[tuple]:
    """The rows of a compiled query, each placeholder (a key of `values`)
    replaced by its value."""
    sql, params = compiled
    values = values or {}
    params = [
        values.get(param, param) if isinstance(param, Hashable) else param
        for param in params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
