"""Absolute URLs of the portal's pages, made from settings.SITE_URL.

Never from the request: the Host header is whatever the visitor sent (any
name ALLOWED_HOSTS admits, with any port), and a page kept by the page cache
is served to every visitor after.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (as reverse() gives it) on the portal's public address."""
    return f"{settings.SITE_URL}/{path.lstrip('/')}"
