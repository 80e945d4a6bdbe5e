"""Text that shows nothing but breaks what reads it later (found by a
reviewer who used the portal as an attacker would): line breaks forged into
the desk's mail, Word's line break in a news title, a control character in a
request, a bidirectional override in a file's name, a tracking link quoted
by Outlook."""

import io
from email.message import EmailMessage

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from openpyxl import load_workbook

from clair_portal.foundation.models import OutgoingMail
from clair_portal.foundation.plain_text import (
    clean_file_name,
    clean_line,
    clean_text,
)
from clair_portal.news.models import NewsItem
from support_requests.models import (
    RequestAttachment,
    RequestMessage,
    SupportRequest,
    UnsortedMail,
)
from support_requests.reply_address import reply_address
from support_requests.resources import SupportRequestResource
from support_requests.tasks import read_reply_mail
from tests import factories
from tests.news.test_news import inline_management
from tests.outbox import run_mail_jobs
from tests.test_import_export import XLSX_CHOICE, admin_export

from .helpers import PDF, activity_data

pytestmark = pytest.mark.django_db

RLO = "\u202e"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("一行目\v二行目", "一行目\n二行目"),  # Word's Shift+Enter
        ("目的\x1b[31m赤\x07", "目的[31m赤"),
        ("見積書" + RLO + "fdp.doc", "見積書fdp.doc"),
        ("一行目\r\n\r\n三行目\t終", "一行目\r\n\r\n三行目\t終"),
        ("山田　太郎 😀 한국어 العربية", "山田　太郎 😀 한국어 العربية"),
        ("山田\uffff太郎\ufffe", "山田太郎"),  # XML refuses them: feed, XLSX
        ("一行目\u2028二行目\u2029三行目\x85四", "一行目\n二行目\n三行目\n四"),
    ],
)
def test_text_keeps_its_lines_and_loses_what_shows_nothing(typed, kept):
    assert clean_text(typed) == kept


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("国際課\r\n電話番号: 0120-000-000", "国際課 電話番号: 0120-000-000"),
        ("山田\n\n\thttp://evil.example/", "山田 http://evil.example/"),
        ("山田　太郎", "山田　太郎"),
        (" \v\x00 ", ""),
        # Unicode's separators: a mail program starts a new line at each.
        ("国際課\u2028電話番号: 0120", "国際課 電話番号: 0120"),
        ("国際課\u2029\x85電話番号", "国際課 電話番号"),
    ],
)
def test_a_line_stays_one_line(typed, kept):
    assert clean_line(typed) == kept


def test_a_file_name_loses_format_characters():
    assert clean_file_name("report" + RLO + "xcod.pdf") == "reportxcod.pdf"
    assert clean_file_name("写真\u200b.jpg") == "写真.jpg"
    # Typed in full-width, it would download with no extension.
    assert clean_file_name("ｒｅｐｏｒｔ．ｐｄｆ") == "ｒｅｐｏｒｔ.pdf"
    assert clean_file_name("資料（2023年度版）.PDF") == "資料（2023年度版）.PDF"
    assert clean_file_name(RLO, default="添付ファイル") == "添付ファイル"


def test_line_breaks_posted_in_one_line_fields_forge_no_line_of_the_desks_mail(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_DESK_EMAILS = ["desk@example.org"]
    data = activity_data(
        department="国際課\r\n電話番号: 0120-000-000",
        contact_name="山田\n\n管理画面で確認してください：\nhttp://evil.example/admin/",
        purpose="目的\x1b[31m赤\x07\v二行目",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ja/support/request/", data)
    assert response.status_code == 302
    request = SupportRequest.objects.get()
    assert request.department == "国際課 電話番号: 0120-000-000"
    assert request.contact_name == (
        "山田 管理画面で確認してください： http://evil.example/admin/"
    )
    assert request.purpose == "目的[31m赤\n二行目"
    run_mail_jobs()
    desk_mail = next(m for m in django_mail.outbox if "desk@example.org" in m.to)
    lines = desk_mail.body.splitlines()
    assert not any(line.startswith("電話番号: 0120") for line in lines)
    assert "http://evil.example/admin/" not in lines


def test_a_control_character_leaves_the_queues_xlsx_export_whole(admin_client):
    """Stored before the form cleaned it (or imported): the export held every
    request and failed on this one, "Export failed due to
    IllegalCharacterError", in English."""
    factories.SupportRequestFactory(contact_name="山田\v太郎")
    response = admin_export(
        admin_client, SupportRequest, SupportRequestResource, XLSX_CHOICE
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "山田\ufffd太郎" in cells


def test_words_line_break_in_a_news_title_is_cleaned_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:news_newsitem_add"),
        {
            "title_ja": "Word\vからの貼り付け",
            "title_zh_hans": "Word\v粘贴",
            "summary_ja": "",
            "summary_zh_hans": "",
            "body_ja": "一行目\v二行目\x1b",
            "body_zh_hans": "第一行",
            "category": "local_government_events",
            "original_language": "ja",
            "status": "published",
            "published_at_0": "2026-05-20",
            "published_at_1": "09:00:00",
            **inline_management("attachments"),
            **inline_management("links"),
            **inline_management("clair_portal-photo-content_type-object_id"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = NewsItem.objects.get()
    assert (item.title_ja, item.title_zh_hans) == ("Word からの貼り付け", "Word 粘贴")
    assert item.body_ja == "一行目\n二行目"


def test_a_news_title_kept_with_a_control_character_never_breaks_the_feed(client):
    """Kept before the admin cleaned text: the feed (every page announces it)
    was a 500 for every reader until staff found the item."""
    factories.NewsItemFactory(title_ja="Word\vからの貼り付け", body_ja="一\x0b二")
    response = client.get("/ja/news/feed/")
    assert response.status_code == 200
    assert "Word からの貼り付け" in response.content.decode()


def reply_mail(to, *, body, files=()):
    message = EmailMessage()
    message["From"] = "飛騨太郎 <hida@example.jp>"
    message["To"] = to
    message["Subject"] = "RE: [CLAIR北京] お問い合わせ"
    message["Message-ID"] = f"<{id(message)}@example.jp>"
    message.set_content(body)
    for name, content, mime in files:
        maintype, subtype = mime.split("/")
        message.add_attachment(
            content, maintype=maintype, subtype=subtype, filename=name
        )
    return message.as_bytes()


def test_an_outlook_reply_keeps_neither_its_quote_nor_the_tracking_link(imap):
    """Outlook quotes under a rule and a block of headers, with no ">": the
    whole quote, tracking link and all, was kept as the requester's words,
    shown to the desk and mailed to SUPPORT_DESK_EMAILS."""
    request = factories.SupportRequestFactory()
    link = f"https://portal.example.org/ja/support/track/{request.token}/"
    imap.deliver(
        reply_mail(
            reply_address(request),
            body=(
                "承知しました。\n\n"
                "________________________________\n"
                "差出人: CLAIR北京事務所 <desk@example.org>\n"
                "送信日時: 2026年12月5日 6:40\n"
                "件名: ご依頼\n\n"
                f"専用ページ: {link}\n"
            ),
            files=[("見積書" + RLO + "fdp.pdf", PDF, "application/pdf")],
        )
    )
    read_reply_mail(timestamp=0)
    message = RequestMessage.objects.get(request=request)
    assert message.body == "承知しました。"
    attachment = RequestAttachment.objects.get(message=message)
    assert attachment.original_name == "見積書fdp.pdf"
    desk_notice = OutgoingMail.objects.filter(subject__contains=request.reference)
    assert desk_notice and all(request.token not in m.body for m in desk_notice)


def test_a_tracking_link_in_a_requesters_words_is_never_kept(imap):
    request = factories.SupportRequestFactory()
    imap.deliver(
        reply_mail(
            reply_address(request),
            body=f"From: 北京\nこのページが開けません: /ja/support/track/{request.token}/",
        )
    )
    read_reply_mail(timestamp=0)
    message = RequestMessage.objects.get(request=request)
    assert request.token not in message.body
    assert "From: 北京" in message.body  # no Sent: line after it: not a quote
    assert "/track/…/" in message.body


def test_a_reply_sent_as_html_only_is_filed_as_its_text(imap):
    """strip_tags() kept the style sheet's text and "&nbsp;", and ran the
    paragraphs together."""
    request = factories.SupportRequestFactory()
    message = EmailMessage()
    message["From"] = "飛騨太郎 <hida@example.jp>"
    message["To"] = reply_address(request)
    message["Subject"] = "RE: [CLAIR北京] お問い合わせ"
    message["Message-ID"] = "<html-only@example.jp>"
    message.set_content(
        "<html>\n  <head><title>RE: ご依頼</title><style>p{margin:0}</style>"
        "</head>\n  <body>\n    <p>承知しました&nbsp;&amp;&nbsp;よろしく\n"
        "      お願いします。</p>\n    <p>来週&lt;月曜&gt;に送ります。<br>\n"
        "      山田　太郎</p>\n    <table><tr><td>TEL</td><td>0577</td></tr></table>"
        '<hr><div id="divRplyFwdMsg"><b>差出人:</b> CLAIR北京<br>'
        "<b>送信日時:</b> 2026年12月5日<br><b>件名:</b> ご依頼<br></div>"
        "<p>前の本文</p></body></html>",
        subtype="html",
    )
    imap.deliver(message.as_bytes())
    read_reply_mail(timestamp=0)
    assert RequestMessage.objects.get(request=request).body == (
        "承知しました & よろしく お願いします。\n来週<月曜>に送ります。\n"
        "山田　太郎\nTEL 0577"
    )


def test_words_kept_before_the_cleaning_are_redacted_by_the_migration():
    """Messages and file names stored before the service cleaned them kept
    the token (the desk's page showed it) and the override."""
    from importlib import import_module

    from django.apps import apps

    request = factories.SupportRequestFactory()
    message = RequestMessage.objects.create(
        request=request,
        from_requester=True,
        body=f"差出人: 北京\n%2Fsupport%2Ftrack%2F{request.token}%2F",
    )
    attachment = RequestAttachment.objects.create(
        request=request,
        message=message,
        original_name="見積書" + RLO + "fdp.doc",
        size=3,
        from_requester=True,
    )
    migration = import_module("support_requests.migrations.0012_redact_kept_tokens")
    migration.redact_kept(apps, None)
    message.refresh_from_db()
    attachment.refresh_from_db()
    assert request.token not in message.body and "差出人: 北京" in message.body
    assert request.token not in message.history.get().body
    assert attachment.original_name == "見積書fdp.doc"


@pytest.mark.parametrize(
    "text",
    [
        "資料を送ります。\n\n__________________________\n【訪問日程案】\n3月1日 北京市",
        "Flight details:\n\nFrom: Narita (NH961)\nTo: Beijing\nDate: 1 March 2027",
        "代表团行程如下：\n发件人: 王伟（外事办）\n日期: 2027年4月1日\n人数: 5人",
    ],
    ids=["a rule of its own", "an itinerary", "a list of who and when"],
)
def test_a_requesters_own_rule_or_from_and_date_lines_are_kept(imap, text):
    """Only Outlook's whole quote header is cut: the requester's own text
    after a rule or "From:" and "Date:" lines was lost without a trace."""
    request = factories.SupportRequestFactory()
    imap.deliver(reply_mail(reply_address(request), body=text))
    read_reply_mail(timestamp=0)
    assert RequestMessage.objects.get(request=request).body == text


def test_a_tracking_link_rewritten_by_safe_links_is_redacted(imap):
    request = factories.SupportRequestFactory()
    link = (
        "https://jpn01.safelinks.protection.outlook.com/?url=https%3A%2F%2F"
        f"portal.example.org%2Fja%2Fsupport%2Ftrack%2F{request.token}%2F&data=x"
    )
    imap.deliver(
        reply_mail(reply_address(request), body=f"このリンクが開けません：{link}")
    )
    read_reply_mail(timestamp=0)
    body = RequestMessage.objects.get(request=request).body
    assert request.token not in body
    assert body.startswith("このリンクが開けません：https://jpn01.safelinks")


def test_an_unsorted_mails_sender_and_subject_lose_their_overrides(imap):
    imap.deliver(
        reply_mail("clairbj-jp@clair.org.cn", body="よろしく", files=()).replace(
            b"Subject: RE:", "Subject: 見積書\u202efdp.exe RE:".encode()
        )
    )
    read_reply_mail(timestamp=0)
    mail = UnsortedMail.objects.get()
    assert RLO not in mail.subject and "見積書fdp.exe" in mail.subject
