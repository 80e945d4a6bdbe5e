import io

import pytest
from django.core.cache import caches
from django.core.management import call_command

from .helpers import SmtpServer, free_port, private_storage_at, use_smtp


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with no POST counted for 127.0.0.1."""
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Attachments go to a temporary PRIVATE_MEDIA_ROOT."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with private_storage_at(tmp_path / "private") as path:
        yield path


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, and Django's SMTP backend pointed at it."""
    server = SmtpServer(free_port()).start()
    use_smtp(settings, server.port)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def restore_brochures(django_db_setup, django_db_blocker):
    """Transactional tests flush the database after them: put the brochures
    and the staff groups a migration made back at the end of the session."""
    yield
    with django_db_blocker.unblock():
        call_command("load_brochures", stdout=io.StringIO())
        create_staff_groups()


def create_staff_groups():
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    node = ("clair_portal", "0002_staff_groups")
    migration = importlib.import_module("clair_portal.migrations.0002_staff_groups")
    state = MigrationLoader(connection).project_state(node, at_end=False)
    with connection.schema_editor() as schema_editor:
        migration.create_groups(state.apps, schema_editor)


@pytest.fixture
def brochures_in_transactional_db(transactional_db, restore_brochures):
    """The brochures' data for a transactional test (an earlier one may have
    flushed it)."""
    call_command("load_brochures", stdout=io.StringIO())
