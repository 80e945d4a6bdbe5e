"""Root URLs. The admin is not language-prefixed: its language follows the
choice posted to set_language (i18n/). The public site goes in
i18n_patterns(...)."""

from django.contrib import admin
from django.urls import include, path

from clair_portal.admin import missing_translations_view

urlpatterns = [
    path(
        "admin/translations/missing/",
        admin.site.admin_view(missing_translations_view),
        name="admin-missing-translations",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
