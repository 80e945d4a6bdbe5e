import sys

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand
from psycopg2 import sql

START_HINT = "pg_ctlcluster --skip-systemctl-redirect 15 main start"


class Command(BaseCommand):
    help = "Create the PostgreSQL database named in DATABASE_URL if it is missing."

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
        }
        try:
            connection = psycopg2.connect(dbname="postgres", **params)
        except psycopg2.OperationalError:
            where = f"{params['host'] or 'socket'}:{params['port'] or 5432}"
            self.stderr.write(
                f"PostgreSQL is not answering at {where}; start it: {START_HINT}"
            )
            sys.exit(1)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"]))
                )
                self.stdout.write(f"Created database {db['NAME']}.")
        connection.close()
