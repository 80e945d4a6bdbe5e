"""Staff groups: "editors" keep the program records, "support desk" works
through support requests."""

from django.db import migrations

from clair_portal.foundation.migrations._groups import ensure_permissions

EDITED_APPS = ["clair_portal", "seminars", "jet", "exchange", "experts"]
# Published figures of support_requests; the requests themselves are the desk's.
EDITED_SUPPORT_MODELS = ["supportservice", "supportyearlyfigure", "supportexample"]
ALL_ACTIONS = ["add", "change", "delete", "view"]

EDITORS = "editors"
SUPPORT_DESK = "support desk"


def _permissions(Permission, app_label, models=None, actions=ALL_ACTIONS):
    permissions = Permission.objects.filter(content_type__app_label=app_label)
    if models is not None:
        permissions = permissions.filter(content_type__model__in=models)
    return [p for p in permissions if p.codename.split("_", 1)[0] in actions]


def create_groups(apps, schema_editor):
    ensure_permissions(apps, schema_editor)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *[p for app in EDITED_APPS for p in _permissions(Permission, app)],
        *_permissions(Permission, "support_requests", EDITED_SUPPORT_MODELS),
    )

    desk, _ = Group.objects.get_or_create(name=SUPPORT_DESK)
    desk.permissions.add(
        *_permissions(
            Permission,
            "support_requests",
            ["supportrequest"],
            ["add", "change", "view"],
        ),
        *_permissions(Permission, "support_requests", ["supportservice"], ["view"]),
        *_permissions(
            Permission,
            "clair_portal",
            ["japaneselocalgovernment", "chineselocalgovernment"],
            ["view"],
        ),
    )


def delete_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[EDITORS, SUPPORT_DESK]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("clair_portal", "0001_initial"),
        ("seminars", "0001_initial"),
        ("support_requests", "0001_initial"),
        ("jet", "0001_initial"),
        ("exchange", "0001_initial"),
        ("experts", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
