import importlib
import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the brochures' data, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("load_brochures", verbosity=0)


def create_staff_groups():
    """The groups migration 0002 made, which a flush removes."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    node = ("clair_portal", "0002_staff_groups")
    migration = importlib.import_module(
        "clair_portal.foundation.migrations.0002_staff_groups"
    )
    state = MigrationLoader(connection).project_state(node, at_end=False)
    with connection.schema_editor() as schema_editor:
        migration.create_groups(state.apps, schema_editor)


@pytest.fixture(scope="session")
def restore_after_flush(django_db_setup, django_db_blocker):
    """Transactional tests flush the database after them: put the brochures
    and the staff groups back at the end of the session (--reuse-db keeps it)."""
    yield
    with django_db_blocker.unblock():
        call_command("load_brochures", stdout=io.StringIO())
        create_staff_groups()


@pytest.fixture
def committed_brochures(transactional_db, restore_after_flush):
    """The brochures' data, committed, for other threads and processes (an
    earlier transactional test may have flushed it)."""
    call_command("load_brochures", stdout=io.StringIO())


def staff_groups_as_migrated():
    """The staff groups as a fresh migrate leaves them: the support desk with
    the permissions of migration 0004, the editors with none on the desk's
    records and the outbox. A transactional test flushes the database, and
    the restore above replays migration 0002 alone, against every permission
    that exists by then: a database reused since (--reuse-db) would differ."""
    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module(
        "clair_portal.foundation.migrations.0004_desk_permissions"
    )
    desk_permissions = list(migration._codenames(Permission))
    # Canned replies, corrections, unsorted mail (support_requests' 0006).
    desk_records = importlib.import_module(
        "support_requests.migrations.0006_desk_permissions_and_due_dates"
    )
    desk_permissions += desk_records._permissions(Permission)
    desk, _ = Group.objects.get_or_create(name=migration.SUPPORT_DESK)
    desk.permissions.add(*desk_permissions)
    desk_models = Permission.objects.filter(
        content_type__in={p.content_type_id for p in desk_permissions}
    )
    for editors in Group.objects.filter(name="editors"):
        editors.permissions.remove(*desk_models)


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads (photos) in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
