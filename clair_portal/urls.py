"""Root URLs. The public site is language-prefixed (/ja/, /zh-hans/); the
admin is not: its language follows the choice posted to set_language (i18n/)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from clair_portal import views
from clair_portal.admin import missing_translations_view
from clair_portal.sitemaps import SITEMAPS

urlpatterns = [
    path(
        "admin/translations/missing/",
        admin.site.admin_view(missing_translations_view),
        name="admin-missing-translations",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("office/", views.OfficeView.as_view(), name="office"),
    path("seminars/", include("seminars.urls")),
    path("support/", include("support_requests.urls")),
    path("jet/", include("jet.urls")),
    path("exchange/", include("exchange.urls")),
    path("experts/", include("experts.urls")),
)
