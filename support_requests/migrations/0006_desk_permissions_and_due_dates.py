"""The support desk's permissions on canned replies, corrections and unsorted
mail; the latest activity and due date of the requests already received."""

from django.conf import settings
from django.db import migrations

from clair_portal.foundation.migrations._groups import ensure_permissions

SUPPORT_DESK = "support desk"
DESK_PERMISSIONS = {
    "cannedreply": ["add", "change", "delete", "view"],
    "requestcorrection": ["add", "view"],
    "unsortedmail": ["change", "view"],
}
CLOSED = ("completed", "declined", "withdrawn")


def _permissions(Permission):
    for model, actions in DESK_PERMISSIONS.items():
        yield from Permission.objects.filter(
            content_type__app_label="support_requests",
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )


def grant(apps, schema_editor):
    ensure_permissions(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    desk, _ = Group.objects.get_or_create(name=SUPPORT_DESK)
    desk.permissions.add(*_permissions(Permission))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for desk in Group.objects.filter(name=SUPPORT_DESK):
        desk.permissions.remove(*_permissions(Permission))


def backfill(apps, schema_editor):
    from django.utils import timezone

    from support_requests.working_days import add_working_days

    SupportRequest = apps.get_model("support_requests", "SupportRequest")
    for request in SupportRequest.objects.filter(last_activity_at__isnull=True):
        request.last_activity_at = request.updated_at
        if request.status not in CLOSED:
            arrived = timezone.localdate(request.created_at)
            request.due_on = add_working_days(
                arrived, settings.SUPPORT_DUE_WORKING_DAYS
            )
        request.save(update_fields=["last_activity_at", "due_on"])


class Migration(migrations.Migration):
    dependencies = [("support_requests", "0005_desk_queue_thread_mail")]

    operations = [
        migrations.RunPython(grant, revoke),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
