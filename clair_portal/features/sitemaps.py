from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from clair_portal.news.models import NewsItem, Publication
from clair_portal.news.selectors import news_visible, publications_public
from seminars.models import Seminar


class LanguageSitemap(Sitemap):
    """Every page in both languages, each with its alternates and x-default."""

    i18n = True
    alternates = True
    x_default = True

    # The portal's public address (settings.SITE_URL), not the request's Host.
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class SectionSitemap(LanguageSitemap):
    priority = 0.8
    changefreq = "monthly"

    def items(self):
        return [
            "home",
            "office",
            "seminars:list",
            "support_requests:index",
            "jet:index",
            "exchange:index",
            "experts:index",
            "news:list",
            "publications:list",
            "sitemap",
            "privacy",
            "accessibility",
        ]

    def location(self, item):
        return reverse(item)


class SeminarSitemap(LanguageSitemap):
    priority = 0.6
    changefreq = "yearly"

    def items(self):
        return Seminar.objects.order_by("edition").only("edition")


class NewsSitemap(LanguageSitemap):
    """Visible news only: a draft or an item whose time has not come is not
    listed."""

    priority = 0.5
    changefreq = "monthly"

    def items(self):
        return news_visible().only("id", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class PublicationSitemap(LanguageSitemap):
    """Public publications only."""

    priority = 0.5
    changefreq = "yearly"

    def items(self):
        return publications_public().only("id", "updated_at")

    def lastmod(self, item):
        return item.updated_at


# The tables the sitemaps read (the page cache keeps /sitemap.xml while they
# stay the same; news set for a later time retire it when it comes, as they
# retire the other pages that list news: clair_portal.news.services).
SITEMAP_READS = (Seminar, NewsItem, Publication)

SITEMAPS = {
    "sections": SectionSitemap,
    "seminars": SeminarSitemap,
    "news": NewsSitemap,
    "publications": PublicationSitemap,
}
