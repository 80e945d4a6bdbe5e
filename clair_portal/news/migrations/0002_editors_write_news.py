"""The editors (clair_portal.0002) write the news and publications too."""

from django.db import migrations

from clair_portal.foundation.migrations._groups import ensure_permissions

EDITORS = "editors"


def give_editors_the_news(apps, schema_editor):
    ensure_permissions(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="news"))


def take_them_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name=EDITORS):
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="news")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_news_and_publications"),
        ("clair_portal", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(give_editors_the_news, take_them_back)]
