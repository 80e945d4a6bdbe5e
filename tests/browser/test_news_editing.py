"""An editor writes a news item in the admin, in Chromium (DEBUG off, the
production headers), in each language of the admin: the form is filled and
sent, the confirmation is read back, and the public pages show the item. A
text longer than the news' limit (10,000 characters) is held at the limit by
the form itself, and the item saved is the text the editor saw."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from clair_portal.news.markup import MAX_TEXT_LENGTH
from clair_portal.news.models import NewsItem
from tests.factories import UserFactory

from .conftest import DESKTOP, sign_in

PASSWORD = "editor-password"
SAVED = {"ja": "を追加しました", "zh-hans": "成功添加"}


@pytest.fixture
def editor_tab(browser, site_url):
    def open_in(language):
        editor = UserFactory(username=f"news-editor-{language}", password=PASSWORD)
        editor.groups.set(Group.objects.filter(name="editors"))
        context = browser.new_context(base_url=site_url, **DESKTOP.context_options())
        context.set_default_timeout(15_000)
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": site_url}]
        )
        tab = context.new_page()
        tab.goto("/admin/login/")
        sign_in(tab, editor.username, PASSWORD)
        contexts.append(context)
        return tab

    contexts = []
    yield open_in
    for context in contexts:
        context.close()


def fill_news(tab, *, title_ja, title_zh, body_ja, body_zh):
    tab.goto("/admin/news/newsitem/add/")
    tab.fill("#id_title_ja", title_ja)
    tab.fill("#id_title_zh_hans", title_zh)
    tab.fill("#id_summary_ja", "広島県の観光と物産を紹介します。")
    tab.fill("#id_summary_zh_hans", "介绍广岛县的旅游和特产。")
    tab.fill("#id_body_ja", body_ja)
    tab.fill("#id_body_zh_hans", body_zh)
    tab.select_option("#id_category", NewsItem.Category.LOCAL_GOVERNMENT_EVENTS)
    tab.select_option("#id_original_language", "ja")
    tab.select_option("#id_status", NewsItem.Status.PUBLISHED)


def save(tab):
    """Send the form; fail with the form's own messages if it comes back."""
    with tab.expect_navigation(wait_until="load"):
        tab.locator("input[name=_save]").click()
    errors = tab.locator(".errornote, .errorlist").all_inner_texts()
    assert errors == [], errors


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_an_editor_publishes_a_news_item(editor_tab, language):
    tab = editor_tab(language)
    title_ja = f"広島県が瀋陽で観光プロモーション（{language}）"
    title_zh = f"广岛县在沈阳举办旅游推介会（{language}）"
    fill_news(
        tab,
        title_ja=title_ja,
        title_zh=title_zh,
        body_ja="## 概要\n\n**広島県**は瀋陽市で観光プロモーションを行います。",
        body_zh="## 概要\n\n**广岛县**将在沈阳市举办旅游推介会。",
    )
    save(tab)
    expect(tab.locator(".messagelist")).to_contain_text(SAVED[language])
    item = NewsItem.objects.get(title_ja=title_ja)
    assert item.is_visible

    tab.goto(f"/{language}/news/{item.pk}/")
    title = title_ja if language == "ja" else title_zh
    expect(tab.locator("h1")).to_have_text(title)
    expect(tab.locator("main strong").first).to_have_text(
        "広島県" if language == "ja" else "广岛县"
    )


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_a_text_past_the_limit_is_held_at_it(editor_tab, language):
    tab = editor_tab(language)
    pasted = "あ" * (MAX_TEXT_LENGTH + 50)
    fill_news(
        tab,
        title_ja=f"長い本文（{language}）",
        title_zh=f"长正文（{language}）",
        body_ja=pasted,
        body_zh="正文。",
    )
    shown = tab.input_value("#id_body_ja")
    assert len(shown) == MAX_TEXT_LENGTH
    save(tab)
    expect(tab.locator(".messagelist")).to_contain_text(SAVED[language])
    item = NewsItem.objects.get(title_ja=f"長い本文（{language}）")
    assert item.body_ja == shown


REFUSED = {
    "ja": "「flyer.pdf」は正しいPDFファイルではありません",
    "zh-hans": "“flyer.pdf”并非真正的PDF文件",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_a_news_file_that_is_not_what_its_name_says_is_refused(editor_tab, language):
    """An HTML page named .pdf was published as the item's file (a reviewer's
    run): refused under the file, in the admin's language, and nothing saved
    until a real PDF is chosen."""
    tab = editor_tab(language)
    fill_news(
        tab,
        title_ja="応募用紙のお知らせ",
        title_zh="报名表通知",
        body_ja="応募用紙を添付します。",
        body_zh="附上报名表。",
    )
    tab.locator("#attachments-group .add-row a").click()
    tab.fill("#id_attachments-0-label_ja", "応募用紙")
    tab.fill("#id_attachments-0-label_zh_hans", "报名表")
    tab.set_input_files(
        "#id_attachments-0-file",
        {"name": "flyer.pdf", "mimeType": "application/pdf", "buffer": b"<html>"},
    )
    with tab.expect_navigation(wait_until="load"):
        tab.locator("input[name=_save]").click()
    errors = " ".join(tab.locator(".errorlist").all_inner_texts())
    assert REFUSED[language] in errors, errors
    assert not NewsItem.objects.exists()

    tab.set_input_files(
        "#id_attachments-0-file",
        {"name": "flyer.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    save(tab)
    item = NewsItem.objects.get()
    assert item.attachments.get().label_ja == "応募用紙"
