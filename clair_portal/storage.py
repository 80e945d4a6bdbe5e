"""Storage for private uploads: outside MEDIA_ROOT, never served by a URL of
its own; views check who may download (staff permission or tracking token)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
