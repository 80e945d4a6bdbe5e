import pytest

from tests.support_requests.helpers import private_storage_at


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """News files and publications go to a temporary private storage (the
    one support request attachments use)."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with private_storage_at(tmp_path / "private") as path:
        yield path
