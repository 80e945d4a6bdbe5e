"""What the operations tests share: throwaway databases on the local cluster,
the portal's commands run as an operator runs them, and table fingerprints."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
from django.conf import settings
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent.parent


def server():
    """Connection parameters of the cluster the tests use, without a database."""
    database = settings.DATABASES["default"]
    return {
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }


def database_url(name):
    params = server()
    user = params["user"] or ""
    password = f":{params['password']}" if params["password"] else ""
    at = "@" if user or password else ""
    return (
        f"postgres://{user}{password}{at}{params['host'] or '127.0.0.1'}"
        f":{params['port'] or 5432}/{name}"
    )


def scratch_name(suffix):
    """A database name of these tests' own: the project database's name
    (clair_ops, clair_portal in CI) plus a suffix, so that engineers sharing the
    cluster do not collide."""
    return f"{settings.DATABASES['default']['NAME']}_{suffix}"


@contextlib.contextmanager
def cluster():
    connection = psycopg2.connect(dbname="postgres", **server())
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


def drop_database(name):
    with cluster() as connection, connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


def create_database(name):
    drop_database(name)
    with cluster() as connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def portal_environment(database, **extra):
    """The environment of a portal process on `database`: development mode,
    mail to nowhere."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_"))
    }
    environment.update(
        DATABASE_URL=database_url(database),
        DEBUG="1",
        HTTPS="0",
        EMAIL_URL="dummymail://",
        DJANGO_SETTINGS_MODULE="clair_portal.settings",
    )
    environment.update(extra)
    return environment


def manage(*arguments, environment, timeout=300):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


def fingerprints(name):
    """Every table of the public schema: (row count, MD5 of its rows sorted as
    text); and every sequence's last value."""
    connection = psycopg2.connect(dbname=name, **server())
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "ORDER BY tablename"
            )
            tables = [row[0] for row in cursor.fetchall()]
            result = {}
            for table in tables:
                cursor.execute(
                    sql.SQL(
                        "SELECT count(*), md5(coalesce(string_agg(t::text, "
                        "E'\\n' ORDER BY t::text), '')) FROM {} AS t"
                    ).format(sql.Identifier(table))
                )
                result[table] = cursor.fetchone()
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = 'public'"
            )
            sequences = dict(cursor.fetchall())
    finally:
        connection.close()
    return result, sequences


def files_under(root):
    root = Path(root)
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }
