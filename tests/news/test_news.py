"""News: scheduled publication, drafts, the archive, feeds, sitemap, search."""

import datetime
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from clair_portal.news.markup import render_markdown
from clair_portal.news.models import NewsAttachment, NewsItem, NewsLink
from clair_portal.news.services import news_retire_pages_of_due_items
from seminars.models import Seminar
from tests.factories import NewsItemFactory, UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["ja", "zh-hans"]
ZONE = timezone.get_default_timezone()
PUBLISH_AT = datetime.datetime(2041, 5, 20, 9, 0, tzinfo=ZONE)
TITLES = {"ja": "広島県が沈陽で観光展を開催", "zh-hans": "广岛县在沈阳举办旅游展"}


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def editor(client):
    user = UserFactory(username="news-editor")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="news")
    )
    client.force_login(user)
    return user


def publish_from_the_admin(client):
    """What staff do: both languages, published, set for PUBLISH_AT."""
    response = client.post(
        reverse("admin:news_newsitem_add"),
        {
            "title_ja": TITLES["ja"],
            "title_zh_hans": TITLES["zh-hans"],
            "summary_ja": "広島県のお知らせ。",
            "summary_zh_hans": "广岛县的通知。",
            "body_ja": "**広島県**は瀋陽で観光展を開きます。",
            "body_zh_hans": "**广岛县**将在沈阳举办旅游展。",
            "category": "local_government_events",
            "original_language": "ja",
            "status": "published",
            "published_at_0": "2041-05-20",
            "published_at_1": "09:00:00",
            **inline_management("attachments"),
            **inline_management("links"),
            **inline_management("clair_portal-photo-content_type-object_id"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return NewsItem.objects.get(title_ja=TITLES["ja"])


def inline_management(prefix):
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def public_sightings(client, item):
    """Where the item shows to the public, per language."""
    seen = {}
    sitemap = client.get("/sitemap.xml").content.decode()
    for language in LANGUAGES:
        title = TITLES[language]
        detail = client.get(url("news:detail", language, pk=item.pk))
        feed = client.get(url("news:feed", language))
        parsed = feedparser.parse(feed.content)
        assert not parsed.bozo, parsed.bozo_exception
        # A variant form in the other script: 廣島 (traditional) finds both.
        search = client.get(url("search", language), {"q": "廣島縣"})
        seen[language] = {
            "home": title in client.get(url("home", language)).content.decode(),
            "list": title in client.get(url("news:list", language)).content.decode(),
            "archive": title
            in client.get(
                url("news:archive", language, fiscal_year=2041)
            ).content.decode(),
            "detail": detail.status_code == 200,
            "feed": any(entry.title == title for entry in parsed.entries),
            "sitemap": url("news:detail", language, pk=item.pk) in sitemap,
            "search": url("news:detail", language, pk=item.pk)
            in search.content.decode(),
        }
    return seen


def test_a_news_item_set_for_a_later_time_appears_everywhere_only_then(client, editor):
    with time_machine.travel(PUBLISH_AT - datetime.timedelta(days=1), tick=False):
        client.force_login(editor)  # a session of that day
        item = publish_from_the_admin(client)
        assert item.published_at == PUBLISH_AT
        client.logout()
        before = public_sightings(client, item)
    assert before == {
        language: dict.fromkeys(before[language], False) for language in LANGUAGES
    }

    with time_machine.travel(PUBLISH_AT + datetime.timedelta(minutes=1), tick=False):
        after = public_sightings(client, item)
    assert after == {
        language: dict.fromkeys(after[language], True) for language in LANGUAGES
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_feed_is_valid_atom_with_absolute_links_from_site_url(
    client, settings, language
):
    settings.SITE_URL = "https://portal.example.org"
    item = NewsItemFactory()
    response = client.get(url("news:feed", language))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    links = [
        entry.find("atom:link", ns).get("href")
        for entry in root.iterfind("atom:entry", ns)
    ]
    assert links == [
        f"https://portal.example.org{url('news:detail', language, pk=item.pk)}"
    ]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and parsed.version == "atom10"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_announces_its_languages_feed(client, language):
    page = client.get(url("seminars:list", language)).content.decode()
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
        rf'href="{re.escape(url("news:feed", language))}">',
        page,
    )


def test_a_draft_is_nowhere_but_the_preview(client, editor):
    draft = NewsItemFactory(status=NewsItem.Status.DRAFT, published_at=None)
    preview = client.get(
        reverse("admin:news_newsitem_preview", args=[draft.pk, "zh-hans"])
    )
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"]
    content = preview.content.decode()
    assert draft.title_zh_hans in content and '<html lang="zh-hans">' in content
    with translation.override("zh-hans"):
        assert (
            translation.gettext("Preview: the public does not see this news item yet.")
            in content
        )
    client.logout()
    assert client.get(url("news:detail", "ja", pk=draft.pk)).status_code == 404
    assert draft.title_ja not in client.get(url("news:list", "ja")).content.decode()
    assert (
        client.get(
            reverse("admin:news_newsitem_preview", args=[draft.pk, "ja"])
        ).status_code
        == 302
    )


def test_unpublishing_removes_it_from_search(client):
    item = NewsItemFactory(title_ja="福州市との交流について")
    assert (
        url("news:detail", "ja", pk=item.pk)
        in client.get("/ja/search/", {"q": "福州"}).content.decode()
    )
    item.status = NewsItem.Status.DRAFT
    item.save()
    assert (
        url("news:detail", "ja", pk=item.pk)
        not in client.get("/ja/search/", {"q": "福州"}).content.decode()
    )


def test_markdown_is_kept_and_anything_else_removed():
    html = render_markdown(
        "## 概要\n\n**太字** [リンク](https://example.org) "
        "[悪い](javascript:alert(1))\n\n<script>alert(1)</script>"
        '<img src=x onerror="alert(1)">\n\n- 一\n- 二'
    )
    assert "<h2>概要</h2>" in html and "<strong>太字</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">' in html
    # The javascript: link stays text, never a link.
    assert 'href="javascript' not in html and "<script" not in html
    assert "onerror" not in html and "<img" not in html
    assert "<ul>" in html


def test_a_heading_stays_a_heading_under_the_pages_title_and_an_image_its_alt():
    """# 見出し lost its heading and ran into the next line, and an image
    vanished with its alt text (a reviewer's run)."""
    html = render_markdown(
        "# 見出し\n\n本文\n\n###### 細目\n\n![会場の写真](https://example.org/a.png)"
    )
    assert "<h2>見出し</h2>" in html and "<h4>細目</h4>" in html
    assert "<p>会場の写真</p>" in html and "<img" not in html


@pytest.mark.parametrize(
    ("language", "label"), [("ja", "本文中の表"), ("zh-hans", "正文中的表格")]
)
def test_a_table_in_the_text_scrolls_in_its_own_box(language, label):
    with translation.override(language):
        html = render_markdown(
            "| 日程 | 会場 |\n|---|---|\n| 1日目 | 瀋陽 |\n\n"
            '<table onclick="alert(1)"><tr><td>貼り付け</td></tr></table>'
        )
    opening = (
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label}">'
        "<table>"
    )
    assert html.count(opening) == 2
    assert html.count("</table></div>") == 2
    assert "onclick" not in html


def test_the_page_marks_a_translation_and_a_missing_language(client):
    item = NewsItemFactory(original_language="zh-hans", body_ja="")
    ja = client.get(url("news:detail", "ja", pk=item.pk)).content.decode()
    with translation.override("ja"):
        mark = translation.gettext("Translated from the original in %(language)s.") % {
            "language": translation.gettext("Simplified Chinese")
        }
    assert mark in ja
    assert 'class="news-body" lang="zh-hans"' in ja  # the body falls back
    zh = client.get(url("news:detail", "zh-hans", pk=item.pk)).content.decode()
    assert "本文译自" not in zh and 'class="news-body">' in zh  # the original


def test_the_archive_holds_one_fiscal_year(client):
    march = NewsItemFactory(
        published_at=datetime.datetime(2020, 3, 31, 23, 0, tzinfo=ZONE)
    )
    april = NewsItemFactory(
        published_at=datetime.datetime(2020, 4, 1, 0, 30, tzinfo=ZONE)
    )
    page = client.get(url("news:archive", "ja", fiscal_year=2020)).content.decode()
    assert april.title_ja in page and march.title_ja not in page
    listing = client.get(url("news:list", "ja")).content.decode()
    assert url("news:archive", "ja", fiscal_year=2019) in listing
    assert url("news:archive", "ja", fiscal_year=2020) in listing


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("year", [0, 1, 2019, 9999, 10000, 2**31, 10**20])
def test_an_archive_without_news_is_not_found(client, language, year):
    # Years 0 and 10000 on have no dates: they were a 500.
    NewsItemFactory(published_at=datetime.datetime(2020, 4, 1, 9, 0, tzinfo=ZONE))
    response = client.get(url("news:archive", language, fiscal_year=year))
    assert response.status_code == 404
    assert (
        client.get(url("news:archive", language, fiscal_year=2020)).status_code == 200
    )


def test_linked_records_show_with_their_pages(client):
    item = NewsItemFactory()
    seminar = Seminar.objects.get(edition=17)
    NewsLink.objects.create(
        news_item=item,
        content_type=ContentType.objects.get_for_model(Seminar),
        object_id=seminar.pk,
    )
    page = client.get(url("news:detail", "zh-hans", pk=item.pk)).content.decode()
    # The record's kind, the full-width colon, then its link.
    assert f'：<a href="{url("seminars:detail", "zh-hans", edition=17)}">' in page


def test_a_files_download_follows_the_items_visibility(client, editor):
    item = NewsItemFactory(status=NewsItem.Status.DRAFT, published_at=None)
    attachment = NewsAttachment.objects.create(
        news_item=item,
        file=SimpleUploadedFile("応募用紙.pdf", b"%PDF-1.4 form"),
        label_ja="応募用紙",
        label_zh_hans="报名表",
    )
    assert client.get(attachment.get_absolute_url()).status_code == 200  # staff
    client.logout()
    assert client.get(attachment.get_absolute_url()).status_code == 404
    item.status = NewsItem.Status.PUBLISHED
    item.published_at = timezone.now()
    item.save()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 form"


def test_the_workers_job_retires_cached_pages_when_an_item_is_due(client, settings):
    """A cached page is kept until a table it reads changes; an item whose
    time comes changes none, so the worker's job touches its row."""
    settings.PAGE_CACHE = True
    item = NewsItemFactory(published_at=timezone.now() + datetime.timedelta(minutes=1))
    first = client.get(url("news:list", "ja"))
    assert item.title_ja not in first.content.decode()
    with time_machine.travel(
        timezone.now() + datetime.timedelta(minutes=2), tick=False
    ):
        assert client.get(url("news:list", "ja"))["ETag"] == first["ETag"]  # kept
        assert news_retire_pages_of_due_items(now=timezone.now()) == 1
        with connection.cursor() as cursor:
            # The page cache's trigger runs at commit; the test never commits.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        second = client.get(url("news:list", "ja"))
    assert second["ETag"] != first["ETag"]
    assert item.title_ja in second.content.decode()
