import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the brochures' data, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("load_brochures", verbosity=0)


@pytest.fixture(scope="session")
def restore_after_flush(django_db_setup, django_db_blocker):
    """Transactional tests flush the database after them: put the brochures
    back at the end of the session (--reuse-db keeps it). The staff groups
    come back by themselves: a flush ends with post_migrate (staff_roles)."""
    yield
    with django_db_blocker.unblock():
        call_command("load_brochures", stdout=io.StringIO())


@pytest.fixture
def committed_brochures(transactional_db, restore_after_flush):
    """The brochures' data, committed, for other threads and processes (an
    earlier transactional test may have flushed it)."""
    call_command("load_brochures", stdout=io.StringIO())


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads (photos) in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def one_window(monkeypatch):
    """Every POST of the test falls in the same rate-limit window, however
    close to a minute's turn the test runs (a loaded machine takes seconds
    for a few posts)."""
    monkeypatch.setattr("django_ratelimit.core._get_window", lambda value, period: 0)
