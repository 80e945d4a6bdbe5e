from django.urls import path

from clair_portal.foundation.models import Photo
from clair_portal.foundation.page_cache import cache_public_page
from clair_portal.foundation.searchable import search_sources

from . import views
from .models import NewsAttachment, NewsItem, NewsLink, Publication

NEWS_READS = (NewsItem, NewsLink, NewsAttachment, Photo)
# A news item's page names the records it links to: the tables of every kind
# of record that may be linked (clair_portal.foundation.searchable).
DETAIL_READS = (*NEWS_READS, *(source.model for source in search_sources().values()))

app_name = "news"
urlpatterns = [
    path(
        "",
        cache_public_page(
            views.NewsListView.as_view(), reads=NEWS_READS, params=("page", "category")
        ),
        name="list",
    ),
    path(
        "archive/<int:fiscal_year>/",
        cache_public_page(
            views.NewsListView.as_view(), reads=NEWS_READS, params=("page", "category")
        ),
        name="archive",
    ),
    path("feed/", views.NewsFeed(), name="feed"),
    path(
        "<int:pk>/",
        cache_public_page(views.NewsDetailView.as_view(), reads=DETAIL_READS),
        name="detail",
    ),
    path("<int:pk>/files/<int:file_id>/", views.news_attachment, name="attachment"),
]

publication_patterns = (
    [
        path(
            "",
            cache_public_page(
                views.PublicationListView.as_view(),
                reads=(Publication,),
                params=("page",),
            ),
            name="list",
        ),
        path(
            "<int:pk>/",
            cache_public_page(
                views.PublicationDetailView.as_view(), reads=(Publication,)
            ),
            name="detail",
        ),
        path("<int:pk>/file/", views.publication_download, name="download"),
    ],
    "publications",
)
