"""Reads of public pages from a read replica (DATABASE_REPLICA_URL).

Settings add ReplicaReadsMiddleware and ReplicaRouter only when the variable
is set. The middleware marks a GET or HEAD request outside the admin as a
public page; while it runs, the router sends reads of the program records
(the apps that only staff write, in the admin) to the "replica" alias.
Everything else reads from and writes to "default": sessions, users, the
admin, django-axes, support requests (a requester's tracking page follows
their submission at once and must not wait for the replica to catch up), the
mail outbox, and every write.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
# Program records, written by staff in the admin and read by the public.
PUBLIC_APPS = frozenset({"seminars", "jet", "exchange", "experts", "clair_portal"})
# Models of those apps that are not program records.
PRIMARY_MODELS = frozenset({"clair_portal.outgoingmail"})

public_page = ContextVar("public_page", default=False)


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + getattr(settings, "ADMIN_PATH", "admin/")

    def __call__(self, request):
        is_public = request.method in ("GET", "HEAD") and not request.path.startswith(
            self.admin_prefix
        )
        token = public_page.set(is_public)
        try:
            return self.get_response(request)
        finally:
            public_page.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            public_page.get()
            and model._meta.app_label in PUBLIC_APPS
            and model._meta.label_lower not in PRIMARY_MODELS
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica follows the primary's schema; migrations run on the primary.
        return db != REPLICA
