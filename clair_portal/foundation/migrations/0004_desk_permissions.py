"""The support desk's permissions on the desk's new records (messages, status
timeline, attachments) and on the mail outbox. Editors get none of them:
they hold requesters' personal data."""

from django.db import migrations

from clair_portal.foundation.migrations._groups import ensure_permissions

SUPPORT_DESK = "support desk"
DESK_PERMISSIONS = {
    ("support_requests", "requestmessage"): ["add", "view"],
    ("support_requests", "requestattachment"): ["add", "view"],
    ("support_requests", "statuschange"): ["view"],
    ("clair_portal", "outgoingmail"): ["view"],
}


def _codenames(Permission):
    for (app_label, model), actions in DESK_PERMISSIONS.items():
        yield from Permission.objects.filter(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )


def grant(apps, schema_editor):
    ensure_permissions(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    desk, _ = Group.objects.get_or_create(name=SUPPORT_DESK)
    desk.permissions.add(*_codenames(Permission))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for desk in Group.objects.filter(name=SUPPORT_DESK):
        desk.permissions.remove(*_codenames(Permission))


class Migration(migrations.Migration):
    dependencies = [
        ("clair_portal", "0003_outgoing_mail"),
        ("support_requests", "0002_request_desk"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
