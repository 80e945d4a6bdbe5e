"""The news, publications and search pages in Chromium (DEBUG off, the
production headers): axe in both languages at phone and desktop width,
screenshots, and a visitor's way from the header's search box to a news item
and a publication's file."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from playwright.sync_api import expect

from clair_portal.news.models import NewsItem, NewsLink, Publication
from seminars.models import Seminar
from tests.support_requests.helpers import private_storage_at

from .test_accessibility import accessibility_problems

LANGUAGES = ["ja", "zh-hans"]
QUERIES = {"ja": "広島", "zh-hans": "广岛"}


@pytest.fixture
def private_media(tmp_path):
    with private_storage_at(tmp_path / "private") as path:
        yield path


@pytest.fixture
def news_content(site_url, private_media):
    """A news item of each language as the original, linked to seminar 18,
    and a public publication with its file."""
    seminar = Seminar.objects.get(edition=18)
    items = []
    for day, original in enumerate(["ja", "zh-hans"], start=1):
        item = NewsItem.objects.create(
            title_ja=f"広島県が瀋陽で観光プロモーションを開催（{day}）",
            title_zh_hans=f"广岛县在沈阳举办旅游推介会（{day}）",
            summary_ja="広島県の観光と物産を紹介します。",
            summary_zh_hans="介绍广岛县的旅游和特产。",
            body_ja="## 概要\n\n**広島県**は瀋陽市で観光プロモーションを行います。\n\n"
            "- 会場：瀋陽市内\n- 主催：広島県\n\n"
            "詳しくは[広島県のホームページ](https://www.pref.hiroshima.lg.jp/)をご覧ください。"
            # Six columns: too wide for a phone, it scrolls in its own box.
            "\n\n| 日程 | 会場 | 主催 | 内容 | 対象 | 申込 |\n|---|---|---|---|---|---|\n"
            "| 6月15日 | 瀋陽市内の展示場 | 広島県 | 観光と物産の紹介 | 旅行会社 | 不要 |",
            body_zh_hans="## 概要\n\n**广岛县**将在沈阳市举办旅游推介会。\n\n"
            "- 地点：沈阳市内\n- 主办：广岛县\n\n"
            "详情请参阅[广岛县官方网站](https://www.pref.hiroshima.lg.jp/)。"
            # Thirty columns: too wide for any screen.
            "\n\n|"
            + "|".join(f" 第{n}列 " for n in range(30))
            + "|\n|"
            + "---|" * 30
            + "\n|"
            + "|".join(f" 沈阳{n} " for n in range(30))
            + "|",
            category=NewsItem.Category.LOCAL_GOVERNMENT_EVENTS,
            status=NewsItem.Status.PUBLISHED,
            published_at=timezone.now() - datetime.timedelta(days=day),
            original_language=original,
        )
        NewsLink.objects.create(
            news_item=item,
            content_type=ContentType.objects.get_for_model(Seminar),
            object_id=seminar.pk,
        )
        items.append(item)
    publication = Publication(
        title_ja="中国地方行政・財政制度（2023年度版）",
        title_zh_hans="中国地方行政·财政制度（2023年度版）",
        summary_ja="中国の地方行政と財政の仕組みをまとめたハンドブックです。",
        summary_zh_hans="介绍中国地方行政与财政制度的手册。",
        kind=Publication.Kind.HANDBOOK,
        date=datetime.date(2023, 10, 1),
        fiscal_year=2023,
        is_public=True,
    )
    publication.file.save(
        "handbook-2023.pdf", ContentFile(b"%PDF-1.4 handbook"), save=False
    )
    publication.save()
    return {"news": items[0], "publication": publication}


def news_pages(language, content):
    prefix = f"/{language}"
    return [
        ("news", f"{prefix}/news/"),
        ("news-item", f"{prefix}/news/{content['news'].pk}/"),
        ("news-archive", f"{prefix}/news/archive/{content['news'].fiscal_year}/"),
        ("publications", f"{prefix}/publications/"),
        ("publication", f"{prefix}/publications/{content['publication'].pk}/"),
        ("search", f"{prefix}/search/?q={QUERIES[language]}"),
        ("search-empty", f"{prefix}/search/?q="),
        ("home-with-news", f"{prefix}/"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_news_publication_and_search_pages_are_accessible(
    open_visitor, phone, desktop, news_content, language
):
    problems = []
    for viewport in (phone, desktop):
        visitor = open_visitor(viewport)
        for name, path in news_pages(language, news_content):
            visitor.visit(path)
            expect(visitor.page.locator("html")).to_have_attribute("lang", language)
            problems += accessibility_problems(visitor, language, name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_from_the_search_box_to_a_news_item_and_a_publications_file(
    open_visitor, desktop, news_content, language
):
    visitor = open_visitor(desktop)
    page = visitor.page
    visitor.visit(f"/{language}/seminars/")
    box = page.get_by_role("searchbox")
    # The other script's form: 廣島 (traditional) finds the item in both.
    box.fill("廣島")
    visitor.follow(page.locator(".site-search button"))
    expect(page.get_by_role("searchbox")).to_have_value("廣島")
    result = (
        page.locator(".search-result h2 a")
        .filter(has_text="広島県が瀋陽で" if language == "ja" else "广岛县在沈阳")
        .first
    )
    expect(result.locator("mark")).to_have_count(1)
    visitor.follow(result)
    expect(page.locator("h1")).to_contain_text(
        "広島県" if language == "ja" else "广岛县"
    )
    expect(page.locator(".news-body strong")).to_be_visible()
    expect(
        page.get_by_role("link", name="第18回" if language == "ja" else "第18届")
    ).to_be_visible()

    visitor.visit(f"/{language}/publications/{news_content['publication'].pk}/")
    with page.expect_download() as download:
        page.locator("a.button[download]").click()
    # Under its title in the page's language, not the stored name.
    with translation.override(language):
        title = news_content["publication"].title
    assert download.value.suggested_filename == f"{title}.pdf"
    assert open(download.value.path(), "rb").read() == b"%PDF-1.4 handbook"


def test_a_staff_only_publications_file_is_refused_to_the_public(
    open_visitor, phone, news_content
):
    publication = news_content["publication"]
    publication.is_public = False
    publication.save()
    visitor = open_visitor(phone)
    response = visitor.page.request.get(f"/ja/publications/{publication.pk}/file/")
    assert response.status == 404
