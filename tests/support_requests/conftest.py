import pytest
from django.core.cache import caches

from .helpers import SmtpServer, free_port, private_storage_at, use_smtp
from .imap import ImapServer


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


@pytest.fixture
def imap(settings):
    """A real IMAP server (dovecot) on loopback, and IMAP_URL pointed at it."""
    server = ImapServer(free_port()).start()
    settings.IMAP_URL = server.url
    yield server
    server.stop()
