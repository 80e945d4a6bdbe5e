"""Test settings: the real settings with fast hashing and in-memory mail."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("HTTPS", "0")
# Development's public address, also when DEBUG is off (it is required then).
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")

from clair_portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Serve static files from the finders: tests run without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Pages are rendered for every request, so a test sees what it just wrote
# inside its transaction; tests/clair_portal/test_page_cache.py and the served
# portal (tests/production) test the cache.
PAGE_CACHE = False
