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
from django.db.models import Model, QuerySet

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
    return _execute(compiled, values)[1]


def fetch_by_attname(
    compiled: Compiled, model: type[Model], values: dict | None = None
) -> list[dict]:
    """The rows of a compiled query of `model`'s own columns (a queryset of
    the model, with no only(), defer() or values()), each a dict by the
    fields' attnames (`government_id`, `name_ja`)."""
    description, rows = _execute(compiled, values)
    attnames = _model_attnames(model, description)
    return [dict(zip(attnames, row, strict=True)) for row in rows]


def fetch_instances(
    compiled: Compiled, model: type[Model], values: dict | None = None
) -> list[Model]:
    """Instances of `model` from a compiled query of its own columns, as the
    queryset would have made them, without building the query again."""
    description, rows = _execute(compiled, values)
    attnames = _model_attnames(model, description)
    return [model.from_db(connection.alias, attnames, row) for row in rows]


def _execute(compiled: Compiled, values: dict | None) -> tuple[list, list[tuple]]:
    sql, params = compiled
    values = values or {}
    params = [
        values.get(param, param) if isinstance(param, Hashable) else param
        for param in params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.description, cursor.fetchall()


def _model_attnames(model: type[Model], description) -> list[str]:
    # The rows must hold the model's columns in their order: check it (a
    # changed query would otherwise put values in the wrong fields).
    fields = model._meta.concrete_fields
    if [column.name for column in description] != [field.column for field in fields]:
        raise ImproperlyConfigured(
            f"The compiled query does not select {model.__name__}'s columns in order."
        )
    return [field.attname for field in fields]
