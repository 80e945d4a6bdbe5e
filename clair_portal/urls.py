"""Root URLs. The public site is language-prefixed (/ja/, /zh-hans/); the
admin is not: its language follows the choice posted to set_language (i18n/).
The admin lives at settings.ADMIN_PATH ("admin/" unless the environment says
otherwise): link to it with reverse("admin:..."), never a written path."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from clair_portal.features import views as feature_views
from clair_portal.features.brochure.reads import BROCHURE_READS
from clair_portal.features.brochure.views import brochure_export_view
from clair_portal.features.calendar import events_ics
from clair_portal.features.home import program_record_models
from clair_portal.features.sitemaps import SITEMAP_READS, SITEMAPS
from clair_portal.foundation import admin_views, views
from clair_portal.foundation.admin import missing_translations_view
from clair_portal.foundation.models import (
    BrochureEdition,
    ChineseLocalGovernment,
    Greeting,
    JapaneseLocalGovernment,
    KeyFigure,
    StaffMember,
)
from clair_portal.foundation.page_cache import cache_public_page
from clair_portal.news.models import NewsItem
from clair_portal.news.urls import publication_patterns
from exchange.models import LgotpPlacement
from experts.models import ExpertDispatch
from jet.models import JetFigure
from seminars.models import Seminar

urlpatterns = [
    path(
        f"{settings.ADMIN_PATH}translations/missing/",
        admin.site.admin_view(missing_translations_view),
        name="admin-missing-translations",
    ),
    path(
        f"{settings.ADMIN_PATH}brochure/export/",
        admin.site.admin_view(brochure_export_view),
        name="admin-brochure-export",
    ),
    # Before the admin's own: its shortcut checks nothing but is_staff.
    path(
        f"{settings.ADMIN_PATH}r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(admin_views.view_on_site),
        name="admin-view-on-site",
    ),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Kept as the pages are: at scale 100 it is 8,000 addresses (3.3 MB), 1.3
    # to 1.8 s to make, and crawlers ask for it often.
    path(
        "sitemap.xml",
        cache_public_page(sitemap, reads=SITEMAP_READS, params=("p",)),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path(
        "",
        cache_public_page(
            feature_views.HomeView.as_view(),
            reads=(
                KeyFigure,
                BrochureEdition,
                ChineseLocalGovernment,
                JetFigure,
                LgotpPlacement,
                ExpertDispatch,
                Seminar,
                NewsItem,
                *program_record_models(),
            ),
        ),
        name="home",
    ),
    path(
        "office/",
        cache_public_page(
            feature_views.OfficeView.as_view(),
            reads=(Greeting, StaffMember, BrochureEdition),
        ),
        name="office",
    ),
    # The request forms' suggestions of places (?q=part of a name).
    *[
        path(
            f"places/{country}/",
            cache_public_page(views.place_suggestions, reads=(model,), params=("q",)),
            {"model": model},
            name=f"places-{country}",
        )
        for country, model in (
            ("japan", JapaneseLocalGovernment),
            ("china", ChineseLocalGovernment),
        )
    ],
    path(
        "privacy/",
        cache_public_page(feature_views.PrivacyView.as_view(), reads=()),
        name="privacy",
    ),
    path(
        "accessibility/",
        cache_public_page(feature_views.AccessibilityView.as_view(), reads=()),
        name="accessibility",
    ),
    path(
        "sitemap/",
        cache_public_page(feature_views.SiteMapView.as_view(), reads=BROCHURE_READS),
        name="sitemap",
    ),
    # Every program's events; under exchange/ for its address only.
    path("exchange/events.ics", events_ics, name="events"),
    path("seminars/", include("seminars.urls")),
    path("support/", include("support_requests.urls")),
    path("jet/", include("jet.urls")),
    path("exchange/", include("exchange.urls")),
    path("experts/", include("experts.urls")),
    path("brochure/", include("clair_portal.features.brochure.urls")),
    path("news/", include("clair_portal.news.urls")),
    path("publications/", include(publication_patterns)),
    path("search/", include("clair_portal.features.search.urls")),
)

handler400 = "clair_portal.foundation.views.bad_request"
