"""The forms a person sends, in real Chromium against the portal as production
runs it: gunicorn, the real settings, DEBUG off, the production headers
(Referrer-Policy, CSP, CSRF). HTTPS=0 here, since Chromium talks plain HTTP
to loopback; every header but HSTS and the redirect is the same.

A requester's reply on the tracking page failed in every Chromium browser
when the page sent Referrer-Policy: no-referrer (the post went with
"Origin: null", which the CSRF check refused with Django's stock page).
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from clair_portal.foundation.models import OutgoingMail
from support_requests.models import RequestMessage, SupportRequest
from tests import factories
from tests.production.conftest import (  # noqa: F401 - fixtures
    PASSWORD,
    make_staff,
    restore_brochures,
    serve,
    static_root,
)
from tests.support_requests.helpers import PDF, in_days

from .conftest import DESKTOP, PHONE, sign_in

LANGUAGES = ["ja", "zh-hans"]
REPLY = {
    "ja": "見積書を添付します。<script>alert(1)</script>",
    "zh-hans": "附上报价单。<script>alert(1)</script>",
}


@pytest.fixture
def portal(serve, transactional_db, committed_brochures, tmp_path_factory):  # noqa: F811
    """The production portal on plain HTTP, its private files in a folder of
    this session's."""
    private = tmp_path_factory.getbasetemp() / "journeys-private"
    return serve(HTTPS="0", PRIVATE_MEDIA_ROOT=str(private))


@pytest.fixture
def tab(browser):
    """A fresh browser context (no cookies) at phone width, as most
    requesters in China and Japan read their mail."""
    context = browser.new_context(**PHONE.context_options())
    page = context.new_page()
    yield page
    context.close()


def url(portal, path):
    return f"http://127.0.0.1:{portal.port}{path}"


def send(tab, expected_status=200):
    """Submit the page's request form and wait for the answer's page."""
    with tab.expect_navigation(wait_until="load") as navigation:
        tab.locator("#request-form button[type=submit]").click()
    assert navigation.value.status == expected_status, tab.content()[:2000]


def choose_government(tab, typed, label, *, keyboard=False):
    """Type part of a government's name and pick it from the suggestions
    (support_requests/static/support_requests/place_search.js)."""
    field = tab.locator("#id_government")
    field.press_sequentially(typed, delay=60)
    expect(field).to_have_attribute("aria-expanded", "true")
    option = tab.get_by_role("option", name=re.compile(rf"^{re.escape(label)}\s"))
    expect(option).to_be_visible()
    if keyboard:
        # The first suggestion is the place named so: down, then Enter.
        field.press("ArrowDown")
        expect(option).to_have_attribute("aria-selected", "true")
        field.press("Enter")
    else:
        option.click()
    expect(field).to_have_value(label)
    expect(field).to_have_attribute("aria-expanded", "false")


def translated(language, text):
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reply_with_a_file_is_saved_and_shown(portal, tab, language, tmp_path):
    support_request = factories.SupportRequestFactory(language=language)
    page_response = tab.goto(url(portal, support_request.tracking_path()))
    assert page_response.status == 200
    assert page_response.headers["referrer-policy"] == "same-origin"

    tab.fill("#id_body", REPLY[language])
    tab.set_input_files(
        "#id_attachments",
        files=[{"name": "見積書.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    send(tab)

    expect(tab).to_have_url(re.compile(r"\?replied=1#messages$"))
    expect(tab.locator(".notice[role=status]")).to_have_text(
        translated(language, "Your message has been sent to the office.")
    )
    mine = tab.locator(".request-message--mine")
    expect(mine).to_contain_text(REPLY[language])  # shown as text, not run
    expect(mine.get_by_role("link", name="見積書.pdf")).to_be_visible()
    message = RequestMessage.objects.get(request=support_request)
    assert message.from_requester and message.body == REPLY[language]
    assert message.attachments.get().original_name == "見積書.pdf"
    tab.screenshot(path=str(tmp_path / f"reply-{language}.png"), full_page=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_without_its_security_token_says_what_to_do(portal, tab, language):
    """Cookies cleared while the page was open (or blocked): the portal's own
    page in the visitor's language, nothing about DEBUG, nothing saved."""
    support_request = factories.SupportRequestFactory(language=language)
    tab.goto(url(portal, support_request.tracking_path()))
    tab.fill("#id_body", REPLY[language])
    tab.context.clear_cookies()
    send(tab, expected_status=403)
    expect(tab.locator("html")).to_have_attribute("lang", language)
    expect(tab.locator("h1")).to_have_text(
        translated(language, "The form could not be sent")
    )
    expect(tab.locator("main")).to_contain_text(
        translated(
            language,
            "Nothing was saved. Go back, reload the page, and send the form again. "
            "If you attached files, attach them again.",
        )
    )
    assert "DEBUG" not in tab.content()
    assert not RequestMessage.objects.filter(request=support_request).exists()


def test_the_activity_support_form_in_japanese(portal, browser):
    context = browser.new_context(**DESKTOP.context_options())
    tab = context.new_page()
    tab.goto(url(portal, "/ja/support/request/?kind=activity_support"))
    tab.locator("input[name=kind][value=activity_support]").check()
    choose_government(tab, "鹿儿", "鹿児島県")
    tab.fill("#id_department", "海外戦略課")
    tab.fill("#id_contact_name", "飛騨太郎")
    tab.fill("#id_email", "hida@example.jp")
    tab.fill("#id_phone", "0577-32-3333")
    tab.fill("#id_purpose", "観光プロモーションのため旅行会社を訪問します。")
    tab.fill("#id_stay_start", in_days(30))
    tab.fill("#id_stay_end", in_days(33))
    tab.fill("#id_destinations", "北京市")
    tab.fill("#id_delegation_leader", "市長")
    tab.fill("#id_delegation_size", "4")
    tab.locator("#id_consent").check()
    send(tab)

    support_request = SupportRequest.objects.get(contact_name="飛騨太郎")
    expect(tab.locator(".notice .reference")).to_have_text(support_request.reference)
    assert support_request.language == "ja"
    assert support_request.government.code == "46"
    context.close()


@pytest.mark.parametrize(
    ("language", "label"), [("ja", "鹿児島県"), ("zh-hans", "鹿儿岛县")]
)
def test_without_javascript_the_candidates_are_offered(
    portal, browser, language, label
):
    """No script: the form shows the governments that match what was typed,
    and takes the one chosen."""
    context = browser.new_context(java_script_enabled=False, **PHONE.context_options())
    tab = context.new_page()
    tab.goto(url(portal, f"/{language}/support/request/"))
    tab.locator("input[name=kind][value=overseas_research]").check()
    tab.fill("#id_government", "鹿儿")
    tab.fill("#id_department", "国際課")
    tab.fill("#id_contact_name", "薩摩花子")
    tab.fill("#id_email", "hanako@example.jp")
    tab.fill("#id_phone", "099-000-0000")
    tab.fill("#id_research_subject", "中国の介護制度")
    tab.fill("#id_research_questions", "地域の取り組みを教えてください。")
    tab.locator("#id_consent").check()
    send(tab)
    expect(tab.locator("#id_government_error")).to_be_visible()
    tab.get_by_label(label, exact=False).first.check()
    tab.locator("#id_consent").check()
    send(tab)

    support_request = SupportRequest.objects.get(contact_name="薩摩花子")
    assert support_request.government.code == "46"
    expect(tab.locator(".notice .reference")).to_have_text(support_request.reference)
    context.close()


EXPERT_REQUEST = {
    "zh-hans": {
        "typed": "开封",
        "government": "河南省开封市",
        "department": "农业农村局",
        "contact_name": "王明",
        "expert_field": "农业",
        "expert_subject": "有机农业技术",
        "purpose": "希望日本专家指导有机农业。",
    },
    "ja": {
        "typed": "開封",
        "government": "河南省開封市",
        "department": "農業農村局",
        "contact_name": "李華",
        "expert_field": "農業",
        "expert_subject": "有機農業の技術",
        "purpose": "有機農業の指導を希望します。",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_expert_request_form(portal, tab, language):
    """A Chinese local government asks for an expert, in either language."""
    words = EXPERT_REQUEST[language]
    tab.goto(url(portal, f"/{language}/experts/request/"))
    choose_government(tab, words["typed"], words["government"])
    tab.fill("#id_department", words["department"])
    tab.fill("#id_contact_name", words["contact_name"])
    tab.fill("#id_email", "wang@example.cn")
    tab.fill("#id_phone", "+86 371 2222 3333")
    tab.select_option("#id_expert_field", label=words["expert_field"])
    tab.fill("#id_expert_subject", words["expert_subject"])
    tab.fill("#id_wished_start", in_days(60))
    tab.fill("#id_wished_end", in_days(66))
    tab.fill("#id_purpose", words["purpose"])
    tab.locator("#id_consent").check()
    send(tab)

    support_request = SupportRequest.objects.get(contact_name=words["contact_name"])
    assert support_request.language == language
    assert support_request.chinese_government.code == "410200"
    expect(tab.locator(".notice .reference")).to_have_text(support_request.reference)


def test_an_overseas_research_request_with_a_file_from_the_chinese_page(portal, tab):
    tab.goto(url(portal, "/zh-hans/support/request/"))
    tab.locator("input[name=kind][value=overseas_research]").check()
    choose_government(tab, "鹿儿", "鹿儿岛县", keyboard=True)
    tab.fill("#id_department", "国际课")
    tab.fill("#id_contact_name", "飞驒花子")
    tab.fill("#id_email", "hanako@example.jp")
    tab.fill("#id_phone", "0577-32-3333")
    tab.fill("#id_research_subject", "中国的养老服务")
    tab.fill("#id_research_questions", "北京市的社区养老模式。")
    tab.fill("#id_needed_by", in_days(90))
    tab.set_input_files(
        "#id_attachments",
        files=[{"name": "调查项目.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    tab.locator("#id_consent").check()
    send(tab)

    support_request = SupportRequest.objects.get(contact_name="飞驒花子")
    assert support_request.government.code == "46"
    assert support_request.kind == "overseas_research"
    assert support_request.language == "zh-hans"
    assert support_request.attachments.get().original_name == "调查项目.pdf"
    expect(tab.locator(".notice .reference")).to_have_text(support_request.reference)


def test_the_desk_signs_in_and_writes_to_the_requester(
    portal,
    browser,
    make_staff,  # noqa: F811
):
    """Staff forms in Chromium with the production headers: the sign-in, then
    a message to the requester from the request's page, which the requester
    then reads on the tracking page."""
    from django.contrib.auth.models import Permission

    support_request = factories.SupportRequestFactory(language="ja")
    clerk = make_staff("clerk")
    # The support desk's permissions (migrations 0002 and 0004), given to the
    # user: a transactional test before this one may have flushed the groups.
    clerk.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="support_requests",
            codename__in=[
                "view_supportrequest",
                "change_supportrequest",
                "add_requestmessage",
                "view_requestmessage",
                "add_requestattachment",
                "view_requestattachment",
                "view_statuschange",
            ],
        )
    )
    context = browser.new_context(**DESKTOP.context_options())
    tab = context.new_page()
    tab.goto(url(portal, "/admin/login/"))
    sign_in(tab, "clerk", PASSWORD)
    expect(tab.locator("#user-tools")).to_contain_text("clerk")

    tab.goto(
        url(
            portal,
            f"/admin/support_requests/supportrequest/{support_request.pk}/change/",
        )
    )
    # The "write a message" inline's one row (its empty template is hidden).
    tab.locator("textarea[name$='-0-body']").fill("訪問先の候補をお送りします。")
    tab.locator("input[name$='-0-internal'][value=False]").check()
    with tab.expect_navigation(wait_until="load") as navigation:
        tab.locator("input[name=_continue]").click()
    assert navigation.value.status == 200
    expect(tab.locator(".messagelist")).to_be_visible()
    assert support_request.token not in tab.content()

    # The requester lost the link: the desk has it mailed again from the queue.
    tab.goto(url(portal, "/admin/support_requests/supportrequest/"))
    tab.locator(f"input[name=_selected_action][value='{support_request.pk}']").check()
    tab.select_option("select[name=action]", value="send_tracking_link")
    with tab.expect_navigation(wait_until="load"):
        tab.locator("button[name=index]").click()
    expect(tab.locator(".messagelist .success")).to_be_visible()
    assert OutgoingMail.objects.filter(
        recipients=support_request.email,
        body__contains=support_request.tracking_path(),
    ).exists()
    context.close()

    requester = browser.new_context(**PHONE.context_options()).new_page()
    requester.goto(url(portal, support_request.tracking_path()))
    expect(requester.locator(".request-messages")).to_contain_text(
        "訪問先の候補をお送りします。"
    )
    requester.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_seminars_filter_is_chosen_and_shown(portal, tab, language):
    """A visitor picks a province, then a fiscal year, and presses the
    button: the table lists the seminars held there, then that year's."""
    tab.goto(url(portal, f"/{language}/seminars/"))
    rows = tab.locator("table tbody tr")
    expect(rows).to_have_count(18)
    show = tab.get_by_role("button", name=translated(language, "Show"))

    tab.select_option("#id_province", "510000")  # 四川省: Chengdu, then Mianyang
    with tab.expect_navigation(wait_until="load") as navigation:
        show.click()
    assert navigation.value.status == 200
    assert "province=510000" in tab.url
    expect(rows).to_have_count(2)
    expect(rows.locator("th")).to_have_text(
        [translated(language, "No. %(edition)s") % {"edition": n} for n in (17, 6)]
    )

    tab.select_option("#id_fiscal_year", "2018")
    with tab.expect_navigation(wait_until="load"):
        show.click()
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").first).to_have_text(
        translated(language, "FY%(year)s") % {"year": 2018}
    )
    # The choices stay as the visitor left them.
    expect(tab.locator("#id_province")).to_have_value("510000")
    expect(tab.locator("#id_fiscal_year")).to_have_value("2018")
