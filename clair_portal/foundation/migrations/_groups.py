"""Shared by the migrations that give groups their permissions."""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps, schema_editor):
    """Permissions are normally created after migrate (post_migrate): create
    them now so that a fresh database's groups can hold them."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(
            app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias
        )
        app_config.models_module = None
