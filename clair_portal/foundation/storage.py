"""Storage for private uploads: outside MEDIA_ROOT, never served by a URL of
its own; views check who may download (staff permission or tracking token).

STORAGES["private"] in settings: PRIVATE_MEDIA_ROOT on disk, or a private
bucket with MEDIA_STORAGE=s3."""

from django.core.files.storage import storages


def private_storage():
    return storages["private"]
