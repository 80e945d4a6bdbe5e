"""The portal's URLs plus a view that fails, for the error reporting tests."""

from django.urls import path

from clair_portal.urls import urlpatterns as portal_urlpatterns


def failing_view(request, **kwargs):
    raise RuntimeError("A failure for the operations tests")


urlpatterns = [
    path("ops/fail/", failing_view),
    path("ops/fail/<int:number>/", failing_view),
    path("ops/track/<str:token>/fail/", failing_view),
    *portal_urlpatterns,
]
