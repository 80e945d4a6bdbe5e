"""The support desk in the admin: the queue, status changes, messages, files,
permissions, escaping, and the mail outbox."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from clair_portal.foundation.admin import MAX_SEARCH_WORDS
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
    OutgoingMail,
)
from experts.models import ExpertField
from support_requests.admin import (
    NewMessageInline,
    PrefectureFilter,
    SupportRequestAdmin,
)
from support_requests.models import (
    RequestKind,
    RequestMessage,
    StatusChange,
    SupportRequest,
)
from support_requests.services import support_request_post_message
from tests import factories
from tests.admin_forms import form_data
from tests.outbox import run_mail_jobs

from .helpers import PDF, pdf_upload, upload

pytestmark = pytest.mark.django_db

Status = SupportRequest.Status
QUEUE = reverse("admin:support_requests_supportrequest_changelist")
OUTBOX = reverse("admin:clair_portal_outgoingmail_changelist")


def change_url(support_request):
    return reverse(
        "admin:support_requests_supportrequest_change", args=[support_request.pk]
    )


def download_url(attachment):
    return reverse(
        "admin:support_requests_supportrequest_attachment",
        args=[attachment.request_id, attachment.pk],
    )


def staff(*group_names, **fields):
    user = factories.UserFactory(**fields)
    user.groups.set(Group.objects.filter(name__in=group_names))
    return user


@pytest.fixture
def desk_user():
    return staff("support desk")


@pytest.fixture
def desk(client, desk_user):
    client.force_login(desk_user)
    return client


@pytest.fixture
def editor(client):
    client.force_login(staff("editors"))
    return client


def expert_request(**fields):
    return factories.SupportRequestFactory(
        kind=RequestKind.EXPERT_DISPATCH,
        government=None,
        chinese_government=fields.pop("chinese_government", None)
        or factories.ChineseCityFactory(),
        language="zh-hans",
        department="农业农村局",
        expert_field=ExpertField.objects.get(name_ja="農業"),
        expert_subject="有机农业技术",
        wished_start=datetime.date(2040, 9, 1),
        wished_end=datetime.date(2040, 9, 8),
        purpose="希望日本专家指导有机农业。",
        **fields,
    )


def requester_file(support_request, name="plan.pdf"):
    """A file the requester sent with a message (through the service)."""
    message = support_request_post_message(
        request=support_request, body="資料を送ります。", attachments=[pdf_upload(name)]
    )
    return message.attachments.get()


def new_message_prefix(response):
    """The form prefix of the "write a message" inline's row."""
    for inline in response.context["inline_admin_formsets"]:
        if isinstance(inline.opts, NewMessageInline):
            return inline.formset.forms[0].prefix
    raise AssertionError("no message form on the page")


def reply_box_data(page, body, *, internal, attachment=None):
    """The request's page posted back with the reply box filled: a message to
    the requester (internal=False) or an internal note."""
    prefix = new_message_prefix(page)
    fields = {f"{prefix}-internal": str(internal), f"{prefix}-body": body}
    if attachment is not None:
        fields[f"{prefix}-attachment"] = attachment
    return form_data(page, **fields)


# The queue ------------------------------------------------------------------------------


@pytest.fixture
def queue():
    """Requests that differ in one thing each from the first."""
    gifu = factories.JapanesePrefectureFactory()
    henan = factories.ChineseProvinceFactory()
    assignee = staff("support desk")
    return {
        "plain": factories.SupportRequestFactory(),
        "arranging": factories.SupportRequestFactory(status=Status.ARRANGING),
        "research": factories.SupportRequestFactory(
            kind=RequestKind.OVERSEAS_RESEARCH, purpose="", contact_name="京都花子"
        ),
        "fy2041": factories.SupportRequestFactory(fiscal_year=2041),
        "gifu": factories.SupportRequestFactory(government=gifu),
        "takayama": factories.SupportRequestFactory(
            government=factories.JapaneseCityFactory(
                prefecture=gifu, name_ja="高山テスト市", name_zh_hans="高山测试市"
            )
        ),
        "henan": expert_request(chinese_government=henan),
        "kaifeng": expert_request(
            chinese_government=factories.ChineseCityFactory(province=henan)
        ),
        "assigned": factories.SupportRequestFactory(assignee=assignee),
        "gifu_pk": gifu.pk,
        "henan_pk": henan.pk,
        "assignee": assignee,
    }


def listed(response):
    return {request.reference for request in response.context["cl"].result_list}


def references(queue, *names):
    return {queue[name].reference for name in names}


@pytest.mark.parametrize(
    "parameter, value, expected",
    [
        ("status__exact", lambda q: Status.ARRANGING, ["arranging"]),
        ("kind__exact", lambda q: RequestKind.OVERSEAS_RESEARCH, ["research"]),
        ("kind__exact", lambda q: RequestKind.EXPERT_DISPATCH, ["henan", "kaifeng"]),
        ("fiscal_year", lambda q: 2041, ["fy2041"]),
        ("prefecture", lambda q: q["gifu_pk"], ["gifu", "takayama"]),
        ("province", lambda q: q["henan_pk"], ["henan", "kaifeng"]),
        ("assignee__id__exact", lambda q: q["assignee"].pk, ["assigned"]),
    ],
    ids=[
        "status",
        "kind",
        "kind-expert",
        "fiscal-year",
        "prefecture",
        "province",
        "assignee",
    ],
)
def test_queue_filters(desk, queue, parameter, value, expected):
    response = desk.get(QUEUE, {parameter: str(value(queue))})
    assert response.status_code == 200
    assert listed(response) == references(queue, *expected)


def test_queue_filter_assigned_to_me(client, queue):
    client.force_login(queue["assignee"])
    response = client.get(QUEUE, {"assigned": "me"})
    assert response.status_code == 200
    assert listed(response) == references(queue, "assigned")
    response = client.get(QUEUE, {"assigned": "nobody"})
    assert queue["assigned"].reference not in listed(response)
    assert queue["plain"].reference in listed(response)


def test_queue_lists_regions_with_requests(desk, queue):
    response = desk.get(QUEUE)
    filters = {
        spec.parameter_name: spec
        for spec in response.context["cl"].filter_specs
        if hasattr(spec, "parameter_name")
    }
    prefectures = dict(filters["prefecture"].lookup_choices)
    provinces = dict(filters["province"].lookup_choices)
    assert queue["gifu_pk"] in prefectures
    assert queue["henan_pk"] in provinces
    # Municipalities are not regions.
    assert queue["takayama"].government_id not in prefectures


@pytest.mark.parametrize(
    "accept, gifu_name, henan_name",
    [("ja", "岐阜県", "河南省"), ("zh-hans", "岐阜县", "河南省")],
)
def test_queue_names_regions_in_the_page_language(
    desk, queue, accept, gifu_name, henan_name
):
    """Each region in the staff member's language; a name missing in it falls
    back to the other language, as modeltranslation reads the model."""
    JapaneseLocalGovernment.objects.filter(pk=queue["gifu_pk"]).update(
        name_ja="岐阜県", name_zh_hans="岐阜县"
    )
    ChineseLocalGovernment.objects.filter(pk=queue["henan_pk"]).update(
        name_ja="", name_zh_hans="河南省"
    )
    response = desk.get(QUEUE, headers={"accept-language": accept})
    filters = {
        spec.parameter_name: dict(spec.lookup_choices)
        for spec in response.context["cl"].filter_specs
        if hasattr(spec, "parameter_name")
    }
    assert filters["prefecture"][queue["gifu_pk"]] == gifu_name
    assert filters["province"][queue["henan_pk"]] == henan_name
    content = response.content.decode()
    assert f"?prefecture={queue['gifu_pk']}" in content
    assert gifu_name in content


@pytest.mark.parametrize("language", ["en", "zh-hant", None])
def test_region_names_in_a_language_the_portal_does_not_have(queue, language):
    """Outside a request (a shell, a job) the active language may be none of
    the portal's: the names are then modeltranslation's default, Japanese."""
    region_filter = PrefectureFilter.__new__(PrefectureFilter)
    gifu = JapaneseLocalGovernment.objects.get(pk=queue["gifu_pk"])
    with translation.override(language):
        names = dict(region_filter.lookups(None, None))
    assert names[gifu.pk] == gifu.name_ja


def test_queue_checkbox_is_djangos(desk, queue):
    """The row's checkbox, written without a widget template, is the input
    Django's own ModelAdmin.action_checkbox renders."""
    from django.contrib import admin as django_admin

    record = queue["gifu"]
    JapaneseLocalGovernment.objects.filter(pk=record.government_id).update(
        name_ja="<b>\"&'</b>", name_zh_hans="<b>\"&'</b>"
    )
    record = SupportRequest.objects.select_related("government").get(pk=record.pk)
    model_admin = SupportRequestAdmin(SupportRequest, django_admin.site)
    rendered = {}
    for language in ("ja", "zh-hans", "en"):
        with translation.override(language):
            rendered[language] = str(model_admin.action_checkbox(record))
            djangos = django_admin.ModelAdmin.action_checkbox(model_admin, record)
        assert rendered[language] == str(djangos)
    assert "&lt;b&gt;&quot;&amp;&#x27;&lt;/b&gt;" in rendered["ja"]
    response = desk.get(QUEUE)
    assert rendered["ja"] in response.content.decode()
    # No widget template per row (a tenth of the queue's time).
    assert "django/forms/widgets/checkbox.html" not in {
        template.name for template in response.templates
    }


@pytest.mark.parametrize("value", ["gifu", "²", "١٢", "12\u00a0", "9" * 40])
def test_queue_refuses_a_malformed_region(desk, queue, value):
    """Letters, other scripts' digits ("²" passes str.isdigit) and numbers
    too large for the database: the whole queue with the admin's note."""
    response = desk.get(QUEUE, {"prefecture": value})
    if response.status_code == 302:
        assert "e=1" in response.url
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    "term, expected",
    [
        ("reference", "plain"),
        ("email", "arranging"),
        ("contact_name", "research"),
        ("government", "takayama"),
    ],
)
def test_queue_search(desk, queue, term, expected):
    target = queue[expected]
    value = {
        "reference": target.reference,
        "email": target.email,
        "contact_name": target.contact_name,
        "government": target.government.name_zh_hans,
    }[term]
    response = desk.get(QUEUE, {"q": value})
    assert response.status_code == 200
    assert target.reference in listed(response)
    assert len(listed(response)) == 1


@pytest.mark.parametrize("word", ["北京", "王", "田中"])
def test_a_short_word_is_found(desk, queue, word):
    """A word of one or two characters is found in the searched columns
    (from their folded copy, where CJK is cut in pairs for the index)."""
    target = queue["research"]
    target.contact_name = f"{word}一郎様"
    target.save()
    response = desk.get(QUEUE, {"q": word})
    assert listed(response) == {target.reference}


def test_a_search_of_many_words_looks_for_its_first_ten(desk, queue):
    """Each word adds to the queue's query (1,900 words took a minute): the
    first MAX_SEARCH_WORDS are looked for, and the page says so."""
    target = queue["research"]
    ten = " ".join([target.reference] * MAX_SEARCH_WORDS)
    with CaptureQueriesContext(connection) as queries:
        response = desk.get(QUEUE, {"q": ten + " nothing-matches" * 40})
    assert listed(response) == {target.reference}
    with CaptureQueriesContext(connection) as queries_of_ten:
        desk.get(QUEUE, {"q": ten})
    assert len(queries) == len(queries_of_ten)
    with translation.override("ja"):
        message = gettext(
            "Only the first %(count)d words of the search were looked for."
        ) % {"count": MAX_SEARCH_WORDS}
    assert message in response.content.decode()
    assert message not in desk.get(QUEUE, {"q": ten}).content.decode()


def test_a_list_looks_for_the_first_ten_words(admin_client):
    response = admin_client.get(
        reverse("admin:seminars_seminar_changelist"),
        {"q": " ".join(["綿陽"] * MAX_SEARCH_WORDS + ["nothing-matches"] * 40)},
    )
    assert response.status_code == 200
    assert [seminar.edition for seminar in response.context["cl"].result_list] == [17]


# The translation review looks for the whole term as one phrase (a condition
# per kind of record, whatever its length): nothing to bound.
WHOLE_PHRASE_SEARCHES = {"clair_portal.translationstate"}


@pytest.mark.parametrize(
    "model_admin",
    [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model_admin.search_fields
        and model._meta.label_lower not in WHOLE_PHRASE_SEARCHES
    ],
    ids=lambda model_admin: model_admin.model._meta.label_lower,
)
def test_every_admin_search_is_bounded(admin_client, model_admin):
    """Every list with a search box looks for its first ten words and says so."""
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = admin_client.get(url, {"q": "綿陽 " * 50})
    assert response.status_code == 200
    with translation.override("ja"):
        message = gettext(
            "Only the first %(count)d words of the search were looked for."
        ) % {"count": MAX_SEARCH_WORDS}
    assert message in response.content.decode()


def test_queue_shows_no_tracking_token(desk):
    support_request = factories.SupportRequestFactory()
    html = desk.get(QUEUE).text
    assert support_request.reference in html
    assert support_request.token not in html
    assert support_request.token[:12] not in html


def test_queue_is_newest_first(desk):
    older = factories.SupportRequestFactory()
    newer = factories.SupportRequestFactory()
    result = list(desk.get(QUEUE).context["cl"].result_list)
    assert result.index(newer) < result.index(older)


def test_queue_queries_do_not_grow_with_rows(desk, desk_user):
    desk.get(QUEUE)  # warm the content-type and permission caches

    def add_rows(count):
        for index in range(count):
            if index % 3 == 2:
                expert_request(assignee=desk_user)
            else:
                factories.SupportRequestFactory(
                    assignee=desk_user if index % 2 else None
                )

    add_rows(5)
    with CaptureQueriesContext(connection) as with_5_rows:
        response = desk.get(QUEUE)
    assert len(response.context["cl"].result_list) == 5

    add_rows(45)
    with CaptureQueriesContext(connection) as with_50_rows:
        response = desk.get(QUEUE)
    assert len(response.context["cl"].result_list) == 25  # a page: list_per_page

    assert len(with_50_rows) == len(with_5_rows)
    assert len(with_5_rows) <= 12


def test_assign_to_me(desk, desk_user):
    requests = factories.SupportRequestFactory.create_batch(2)
    response = desk.post(
        QUEUE,
        {"action": "assign_to_me", "_selected_action": [r.pk for r in requests]},
    )
    assert response.status_code == 302
    assert set(
        SupportRequest.objects.filter(pk__in=[r.pk for r in requests]).values_list(
            "assignee", flat=True
        )
    ) == {desk_user.pk}


def test_assignee_is_an_active_staff_member(desk):
    support_request = factories.SupportRequestFactory()
    active = staff("support desk")
    gone = staff("support desk", is_active=False)
    outsider = factories.UserFactory(is_staff=False)
    response = desk.get(change_url(support_request))
    choices = response.context["adminform"].form.fields["assignee"].queryset
    assert active in choices
    assert gone not in choices
    assert outsider not in choices


# The change page ---------------------------------------------------------------------


def test_status_change_is_recorded_and_mailed_in_the_requesters_language(
    desk, desk_user, django_capture_on_commit_callbacks
):
    support_request = factories.SupportRequestFactory(
        language="zh-hans", email="wang@example.cn"
    )
    response = desk.get(change_url(support_request))
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            change_url(support_request),
            form_data(response, status=Status.ARRANGING),
        )
    assert response.status_code == 302, response.context["adminform"].form.errors

    support_request.refresh_from_db()
    assert support_request.status == Status.ARRANGING
    change = StatusChange.objects.get(request=support_request)
    assert change.from_status == Status.RECEIVED
    assert change.to_status == Status.ARRANGING
    assert change.changed_by == desk_user
    assert change.changed_at is not None

    run_mail_jobs()
    assert [message.to for message in mail.outbox] == [["wang@example.cn"]]
    body = mail.outbox[0].body
    assert f"/zh-hans/support/track/{support_request.token}/" in body
    with translation.override("zh-hans"):
        chinese = str(Status.ARRANGING.label)
    with translation.override("ja"):
        japanese = str(Status.ARRANGING.label)
    assert chinese in body
    if chinese != japanese:
        assert japanese not in body
    outgoing = OutgoingMail.objects.get()
    assert outgoing.language == "zh-hans"
    assert outgoing.sent_at is not None


def test_saving_without_a_status_change_records_and_mails_nothing(
    desk, django_capture_on_commit_callbacks
):
    support_request = factories.SupportRequestFactory()
    other = staff("support desk")
    response = desk.get(change_url(support_request))
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            change_url(support_request), form_data(response, assignee=str(other.pk))
        )
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.assignee == other
    assert not StatusChange.objects.filter(request=support_request).exists()
    assert mail.outbox == []


def test_a_reply_from_a_page_opened_earlier_keeps_a_colleagues_changes(
    desk, django_capture_on_commit_callbacks
):
    """A colleague completes and takes the request while this page is open;
    the reply sent from it put the status back to "received", dropped the
    assignee and mailed the requester both statuses (a reviewer's run)."""
    from support_requests.services import (
        support_request_assign,
        support_request_change_status,
    )

    support_request = factories.SupportRequestFactory()
    response = desk.get(change_url(support_request))
    colleague = staff("support desk")
    support_request_change_status(
        request=support_request, status=Status.COMPLETED, user=colleague
    )
    support_request_assign(
        requests=[support_request], assignee=colleague, user=colleague
    )
    mail.outbox.clear()
    OutgoingMail.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            change_url(support_request),
            reply_box_data(response, "資料を送ります。", internal=False),
        )
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == Status.COMPLETED
    assert support_request.assignee == colleague
    assert StatusChange.objects.filter(request=support_request).count() == 1
    run_mail_jobs()
    assert [sent.subject for sent in mail.outbox] == [
        OutgoingMail.objects.get().subject
    ]
    assert "資料を送ります。" in mail.outbox[0].body


def test_a_note_keeps_an_assignee_who_has_left_the_desk(
    desk, django_capture_on_commit_callbacks
):
    """The assignee's choice was not among the desk's members: Django read
    the page's hidden initial as a change, and a note unassigned the request."""
    from support_requests.services import support_request_assign

    former = staff("support desk")
    support_request = factories.SupportRequestFactory()
    support_request_assign(requests=[support_request], assignee=former, user=former)
    former.groups.clear()
    response = desk.get(change_url(support_request))
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            change_url(support_request),
            reply_box_data(response, "引き継ぎ待ち。", internal=True),
        )
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.assignee == former


def test_a_past_version_of_a_request_is_read_never_restored(desk, desk_user):
    """Revert went around the status change's record and mail, and said
    "changed" while it changed nothing."""
    from support_requests.services import support_request_change_status

    support_request = factories.SupportRequestFactory()
    first = support_request.history.earliest()
    support_request_change_status(
        request=support_request, status=Status.WITHDRAWN, user=desk_user
    )
    url = reverse(
        "admin:support_requests_supportrequest_simple_history",
        args=[support_request.pk, first.history_id],
    )
    page = desk.get(url)
    assert page.status_code == 200
    assert 'type="submit"' not in page.text.split('id="content"')[1]
    version = page.context["adminform"].form
    response = desk.post(url, {f.html_name: str(f.value() or "") for f in version})
    assert response.status_code == 403
    support_request.refresh_from_db()
    assert support_request.status == Status.WITHDRAWN


def test_status_history_is_shown_read_only(desk, desk_user):
    from support_requests.services import support_request_change_status

    support_request = factories.SupportRequestFactory()
    support_request_change_status(
        request=support_request, status=Status.IN_PROGRESS, user=desk_user
    )
    response = desk.get(change_url(support_request))
    # In the thread, read-only: no inline edits the timeline.
    assert [
        inline.formset.model for inline in response.context["inline_admin_formsets"]
    ] == [RequestMessage]
    (entry,) = [e for e in response.context["thread"] if e.kind == "status"]
    assert entry.who == desk_user.username
    assert str(Status.IN_PROGRESS.label) in str(entry.label)
    assert desk_user.username in response.text
    assert StatusChange.objects.filter(request=support_request).count() == 1


def test_an_internal_note_is_mailed_to_nobody(
    desk, desk_user, django_capture_on_commit_callbacks
):
    support_request = factories.SupportRequestFactory()
    response = desk.get(change_url(support_request))
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            change_url(support_request),
            reply_box_data(response, "先方に電話済み。", internal=True),
        )
    assert response.status_code == 302
    note = RequestMessage.objects.get(request=support_request)
    assert note.internal
    assert note.author == desk_user
    assert not note.from_requester
    assert mail.outbox == []
    assert not OutgoingMail.objects.exists()

    html = desk.get(change_url(support_request)).text
    assert "先方に電話済み。" in html
    assert in_japanese("Internal note: never sent to the requester") in html
    assert 'class="thread-entry thread-internal"' in html


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_a_message_to_the_requester_is_mailed_in_their_language(
    desk, desk_user, language, django_capture_on_commit_callbacks
):
    support_request = factories.SupportRequestFactory(language=language)
    response = desk.get(change_url(support_request))
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            change_url(support_request),
            reply_box_data(
                response,
                "日程案をお送りします。",
                internal=False,
                attachment=pdf_upload("schedule.pdf"),
            ),
        )
    assert response.status_code == 302
    message = RequestMessage.objects.get(request=support_request)
    assert not message.internal
    assert message.author == desk_user
    attachment = message.attachments.get()
    assert attachment.original_name == "schedule.pdf"
    assert not attachment.from_requester

    run_mail_jobs()
    assert [sent.to for sent in mail.outbox] == [[support_request.email]]
    assert "日程案をお送りします。" in mail.outbox[0].body
    assert f"/{language}/support/track/{support_request.token}/" in mail.outbox[0].body
    assert OutgoingMail.objects.get().language == language


def test_a_staff_file_must_be_a_real_document(desk):
    support_request = factories.SupportRequestFactory()
    response = desk.get(change_url(support_request))
    response = desk.post(
        change_url(support_request),
        reply_box_data(
            response,
            "添付",
            internal=True,
            attachment=upload("tool.pdf", b"MZ\x90\x00", "application/pdf"),
        ),
    )
    assert response.status_code == 200
    assert not RequestMessage.objects.exists()


def test_the_requesters_messages_are_shown(desk):
    support_request = factories.SupportRequestFactory(contact_name="飛騨太郎")
    support_request_post_message(request=support_request, body="質問があります。")
    html = desk.get(change_url(support_request)).text
    assert "質問があります。" in html
    assert in_japanese("From the requester") in html
    assert "飛騨太郎" in html


def test_the_desk_mails_the_tracking_link_without_seeing_it(desk, settings):
    """The tracking page is the requester's key: the change page never shows
    it; the action mails it to the requester's own address, in their
    language."""
    support_request = factories.SupportRequestFactory(language="zh-hans")
    url = f"{settings.SITE_URL}/zh-hans/support/track/{support_request.token}/"
    page = desk.get(change_url(support_request))
    assert support_request.token not in page.text
    assert "token" not in page.context["adminform"].form.fields

    response = desk.post(
        QUEUE,
        {"action": "send_tracking_link", "_selected_action": [support_request.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert support_request.token not in response.text
    mail_row = OutgoingMail.objects.get(recipients=support_request.email)
    assert url in mail_row.body
    assert support_request.reference in mail_row.subject
    assert "链接" in mail_row.subject


def test_expert_request_shows_its_own_fields(desk):
    support_request = expert_request()
    response = desk.get(change_url(support_request))
    assert response.status_code == 200
    fields = shown_fields(response)
    assert {"chinese_government", "expert_field", "expert_subject"} <= set(fields)
    assert {"wished_start", "wished_end", "purpose"} <= set(fields)
    assert not {"government", "stay_start", "research_subject", "services"} & set(
        fields
    )
    html = response.text
    assert support_request.chinese_government.name in html
    assert "有机农业技术" in html
    # Read-only, in the admin's date format.
    with translation.override("ja"):
        assert date_format(datetime.date(2040, 9, 1)) in html


def test_activity_request_shows_no_expert_fields(desk):
    response = desk.get(change_url(factories.SupportRequestFactory()))
    fields = shown_fields(response)
    assert {"government", "stay_start", "services", "purpose"} <= set(fields)
    assert not {"chinese_government", "expert_field", "research_subject"} & set(fields)


def test_a_request_added_by_staff_goes_through_the_submission(
    admin_client, django_capture_on_commit_callbacks
):
    government = factories.JapaneseCityFactory()
    add_url = reverse("admin:support_requests_supportrequest_add")
    response = admin_client.get(add_url)
    data = form_data(
        response,
        kind=RequestKind.OVERSEAS_RESEARCH,
        language="ja",
        government=str(government.pk),
        # Taken down from a call: what a paste brings is cleaned as on the
        # public form (a line break forged a line of the desk's notice).
        department="国際課\v（電話で受付）\u202e",
        contact_name="京都\r\n電話番号: 0120-000-000",
        email="kyoto@example.jp",
        phone="075-000-0000",
        research_subject="介護保険制度",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    support_request = SupportRequest.objects.get(email="kyoto@example.jp")
    assert support_request.reference.startswith("BJ-")
    assert support_request.department == "国際課 （電話で受付）"
    assert support_request.contact_name == "京都 電話番号: 0120-000-000"
    assert StatusChange.objects.filter(request=support_request).count() == 1
    run_mail_jobs()
    assert ["kyoto@example.jp"] in [sent.to for sent in mail.outbox]


# Permissions and files -----------------------------------------------------------------


def test_editors_cannot_open_the_desk(editor):
    support_request = factories.SupportRequestFactory()
    attachment = requester_file(support_request)
    assert editor.get(QUEUE).status_code == 403
    assert editor.get(change_url(support_request)).status_code == 403
    assert editor.get(download_url(attachment)).status_code == 403
    assert editor.get(OUTBOX).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client):
    support_request = factories.SupportRequestFactory()
    attachment = requester_file(support_request)
    login = reverse("admin:login")
    for url in (QUEUE, change_url(support_request), download_url(attachment)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(login)


def test_the_desk_downloads_an_attachment(desk):
    support_request = factories.SupportRequestFactory()
    attachment = requester_file(support_request, name="計画書.pdf")

    response = desk.get(change_url(support_request))
    assert download_url(attachment) in response.text
    assert "/media/" not in response.text

    response = desk.get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%E8%A8%88%E7%94%BB%E6%9B%B8.pdf"
        in response["Content-Disposition"]
    )


def test_an_attachment_is_served_only_with_its_request(desk):
    attachment = requester_file(factories.SupportRequestFactory())
    other = factories.SupportRequestFactory()
    url = reverse(
        "admin:support_requests_supportrequest_attachment",
        args=[other.pk, attachment.pk],
    )
    assert desk.get(url).status_code == 404


def test_a_missing_file_is_not_found(desk):
    attachment = requester_file(factories.SupportRequestFactory())
    attachment.file.delete(save=False)
    assert desk.get(download_url(attachment)).status_code == 404


# Escaping --------------------------------------------------------------------------------

SCRIPT = "<script>alert('x')</script>"


def test_the_requesters_text_is_escaped(desk):
    support_request = factories.SupportRequestFactory(
        purpose=f"目的 {SCRIPT}",
        contact_name=f"担当 {SCRIPT}",
        department=SCRIPT,
    )
    support_request_post_message(request=support_request, body=f"質問 {SCRIPT}")
    # An upload's name loses everything up to a slash: no "</script>" here.
    requester_file(support_request, name="<img src=x onerror=alert(1)>.pdf")

    for url in (change_url(support_request), QUEUE + f"?q={support_request.reference}"):
        html = desk.get(url).text
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    html = desk.get(change_url(support_request)).text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


# The outbox ------------------------------------------------------------------------------


def pending_mail():
    return OutgoingMail.objects.create(
        recipients="hida@example.jp\nkyoto@example.jp",
        subject="[CLAIR Beijing] 件名",
        body="本文",
        language="ja",
    )


def test_outbox_lists_and_filters(admin_client):
    pending = pending_mail()
    sent = pending_mail()
    OutgoingMail.objects.filter(pk=sent.pk).update(
        sent_at=datetime.datetime(2040, 1, 1, tzinfo=datetime.UTC), attempts=1
    )
    response = admin_client.get(OUTBOX, {"state": "pending"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [pending]
    assert "hida@example.jp, kyoto@example.jp" in response.text
    response = admin_client.get(OUTBOX, {"state": "sent"})
    assert list(response.context["cl"].result_list) == [sent]
    change = reverse("admin:clair_portal_outgoingmail_change", args=[pending.pk])
    response = admin_client.get(change)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


def test_send_now_sends_a_pending_mail(admin_client):
    mail_record = pending_mail()
    response = admin_client.post(
        OUTBOX, {"action": "send_now", "_selected_action": [mail_record.pk]}
    )
    assert response.status_code == 302
    assert mail.outbox == []  # the worker sends it, not the request
    run_mail_jobs()
    mail_record.refresh_from_db()
    assert mail_record.sent_at is not None
    assert mail_record.attempts == 1
    assert [sent.to for sent in mail.outbox] == [
        ["hida@example.jp", "kyoto@example.jp"]
    ]

    # A mail already sent is not sent again.
    admin_client.post(
        OUTBOX, {"action": "send_now", "_selected_action": [mail_record.pk]}
    )
    run_mail_jobs()
    assert len(mail.outbox) == 1


def test_the_desk_reads_the_outbox_but_does_not_send(desk):
    mail_record = pending_mail()
    response = desk.get(OUTBOX)
    assert response.status_code == 200
    assert "send_now" not in response.text
    desk.post(OUTBOX, {"action": "send_now", "_selected_action": [mail_record.pk]})
    assert mail.outbox == []


def shown_fields(response):
    """The fields the change page shows, editable or read-only."""
    return flatten_fieldsets(response.context["adminform"].fieldsets)


def in_japanese(message):
    """The admin speaks Japanese by default: the label as staff read it."""
    with translation.override("ja"):
        return gettext(message)


def test_the_assignee_is_chosen_without_the_user_admins_icons(admin_client):
    """A superuser's request page drew edit, add, delete and view icons beside
    the desk member's list, past the edge of a 390 px screen."""
    support_request = factories.SupportRequestFactory()
    url = reverse(
        "admin:support_requests_supportrequest_change", args=[support_request.pk]
    )
    html = admin_client.get(url).content.decode()
    assert 'name="assignee"' in html
    for icon in ("change", "add", "delete", "view"):
        assert f'id="{icon}_id_assignee"' not in html
