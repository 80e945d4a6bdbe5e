import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the brochures' data, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("load_brochures", verbosity=0)
