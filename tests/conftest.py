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
