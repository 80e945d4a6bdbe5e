"""The portal's URLs plus MEDIA_ROOT and axe-core, for the browser tests' live server.

Django serves media only with DEBUG, and the tests run without it; the live
server still has to deliver the photos the tests upload. axe-core is served
from the site's own origin, so that the pages' Content-Security-Policy
(script-src 'self') lets the accessibility tests load it.
"""

from pathlib import Path

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from clair_portal.urls import urlpatterns as portal_urlpatterns


def media(request, path):
    # MEDIA_ROOT is read per request: each test points it at its own tmp dir.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# Concatenated, not include()d: i18n_patterns must stay in the root URLconf.
urlpatterns = [
    *portal_urlpatterns,
    re_path(r"^media/(?P<path>.*)$", media, name="test-media"),
    re_path(
        r"^__tests__/(?P<path>axe\.min\.js)$",
        serve,
        {"document_root": Path(__file__).parent / "vendor"},
        name="test-axe",
    ),
]
