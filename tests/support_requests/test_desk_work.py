"""The desk's work: its home's counts, the queue's columns and bulk actions,
the thread, canned replies, corrections, and the morning reminder."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from clair_portal.foundation.models import OutgoingMail
from experts.models import ExpertField
from support_requests.models import (
    CannedReply,
    RequestCorrection,
    RequestKind,
    SupportRequest,
    UnsortedMail,
    WaitingFor,
)
from support_requests.selectors import desk_counts
from support_requests.services import (
    support_request_change_status,
    support_request_post_message,
)
from support_requests.tasks import send_desk_reminders
from tests import factories

pytestmark = pytest.mark.django_db

Status = SupportRequest.Status
QUEUE = reverse("admin:support_requests_supportrequest_changelist")
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def staff(*group_names, **fields):
    user = factories.UserFactory(**fields)
    user.groups.set(Group.objects.filter(name__in=group_names))
    return user


@pytest.fixture
def desk_user():
    return staff("support desk", first_name="花子", last_name="北京")


@pytest.fixture
def desk(client, desk_user):
    client.force_login(desk_user)
    return client


def change_url(support_request):
    return reverse(
        "admin:support_requests_supportrequest_change", args=[support_request.pk]
    )


def in_language(language, text):
    with translation.override(language):
        return gettext(str(text))


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def desk_queues(desk_user, today):
    """One request in each of the desk's queues."""
    day = datetime.timedelta(days=1)
    return {
        "new": factories.SupportRequestFactory(due_on=today + 30 * day),
        "mine": factories.SupportRequestFactory(
            assignee=desk_user, due_on=today + 30 * day
        ),
        "waiting": factories.SupportRequestFactory(
            assignee=staff("support desk"),
            waiting_for=WaitingFor.REQUESTER,
            due_on=today - day,
        ),
        "late": factories.SupportRequestFactory(
            assignee=staff("support desk"), due_on=today - 3 * day
        ),
        "closed": factories.SupportRequestFactory(
            status=Status.COMPLETED, due_on=today - 3 * day
        ),
        # Closed, then the requester replied by mail.
        "written_after_closing": factories.SupportRequestFactory(
            status=Status.DECLINED,
            assignee=staff("support desk"),
            waiting_for=WaitingFor.DESK,
            last_activity_by=None,
        ),
    }


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_the_desk_home_counts_each_queue_and_links_to_it(desk, desk_queues, language):
    desk.cookies["django_language"] = language
    html = desk.get(reverse("admin:index")).text
    home = html[html.index('id="desk-module"') : html.index("</section>")]
    counts = dict(re.findall(r'\?desk=(\w+)"><span class="count">(\d+)</span>', home))
    # "new": the one nobody has taken (the closed one is done).
    assert counts == {
        "new": "1",
        "mine": "1",
        "waiting": "1",
        "due_soon": "0",
        "late": "1",
        "written_after_closing": "1",
    }
    assert in_language(language, "waiting for the requester") in home
    assert in_language(language, "closed, written to since") in home
    for name, expected in [
        ("new", "new"),
        ("late", "late"),
        ("mine", "mine"),
        ("written_after_closing", "written_after_closing"),
    ]:
        response = desk.get(QUEUE, {"desk": name})
        listed = [r.reference for r in response.context["cl"].result_list]
        assert listed == [desk_queues[expected].reference]


def test_a_closed_request_written_to_is_in_the_desk_home_until_answered(
    desk, desk_user
):
    """A reply mailed to a closed request is filed in its thread (the
    tracking page takes none): it waits in the desk home until a desk
    member answers it, notes it or opens the request again."""
    support_request = factories.SupportRequestFactory()
    support_request_change_status(
        request=support_request, status=Status.COMPLETED, user=desk_user
    )
    support_request.refresh_from_db()

    def listed():
        response = desk.get(QUEUE, {"desk": "written_after_closing"})
        return [r.reference for r in response.context["cl"].result_list]

    assert listed() == []
    support_request_post_message(request=support_request, body="追加で質問です。")
    assert listed() == [support_request.reference]
    support_request_post_message(
        request=support_request,
        body="確認済み。対応不要。",
        user=desk_user,
        internal=True,
    )
    assert listed() == []
    # Written to again, then opened again: in the open queues, due from today.
    support_request_post_message(request=support_request, body="やはり相談したい。")
    assert listed() == [support_request.reference]
    support_request_change_status(
        request=support_request, status=Status.ARRANGING, user=desk_user
    )
    support_request.refresh_from_db()
    assert listed() == []
    assert support_request.waiting_for == WaitingFor.DESK
    assert support_request.due_on >= timezone.localdate()


def test_the_desk_home_counts_mail_to_sort(desk):
    for sorted_, message_id in [(False, "<a@x>"), (False, "<b@x>"), (True, "<c@x>")]:
        UnsortedMail.objects.create(
            message_id=message_id,
            sender="someone@example.jp",
            recipient="desk@example.jp",
            reason=UnsortedMail.Reason.UNREADABLE,
            sorted=sorted_,
        )
    html = desk.get(reverse("admin:index")).text
    home = html[html.index('id="desk-module"') : html.index("</section>")]
    link = re.search(
        r'href="([^"]+)"><span class="count">(\d+)</span> '
        r'<span class="label">([^<]+)</span>',
        home[home.index("desk-unsorted_mail") :],
    )
    assert link.group(2) == "2" and link.group(3) == "未振り分けメール"
    response = desk.get(link.group(1).replace("&amp;", "&"))
    assert response.context["cl"].result_count == 2


def test_an_editor_sees_no_desk_home(client):
    client.force_login(staff("editors"))
    assert 'id="desk-module"' not in client.get(reverse("admin:index")).text


def test_the_queue_says_what_to_do_next(desk, desk_queues):
    support_request = desk_queues["late"]
    support_request_post_message(request=support_request, body="至急お願いします。")
    SupportRequest.objects.filter(pk=support_request.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    html = desk.get(QUEUE).text
    row = html[html.index(support_request.reference) :]
    row = row[: row.index("</tr>")]
    assert 'class="reference"' in html
    label = in_language("ja", Status.RECEIVED.label)
    assert f'<span class="status-label status-received">{label}</span>' in row
    assert 'class="due late"' in row
    assert in_language("ja", "the requester") in row  # who acted last


def test_bulk_assign_offers_and_accepts_only_desk_members(desk, desk_user):
    requests = factories.SupportRequestFactory.create_batch(2)
    editor = staff("editors")
    colleague = staff("support desk")
    response = desk.get(QUEUE)
    choices = response.context["action_form"].fields["assignee"].queryset
    assert colleague in choices and desk_user in choices
    assert editor not in choices

    selected = [r.pk for r in requests]
    response = desk.post(
        QUEUE,
        {"action": "assign", "assignee": editor.pk, "_selected_action": selected},
    )
    assert not SupportRequest.objects.filter(assignee=editor).exists()
    desk.post(
        QUEUE,
        {"action": "assign", "assignee": colleague.pk, "_selected_action": selected},
    )
    assert SupportRequest.objects.filter(assignee=colleague).count() == 2
    first = SupportRequest.objects.get(pk=selected[0])
    assert first.last_activity_by == desk_user
    # Each change is in the request's history.
    assert first.history.first().assignee_id == colleague.pk


def test_bulk_status_change_is_recorded_and_mailed(
    desk, desk_user, django_capture_on_commit_callbacks
):
    requests = factories.SupportRequestFactory.create_batch(2, language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(
            QUEUE,
            {
                "action": "change_status",
                "status": Status.ARRANGING,
                "_selected_action": [r.pk for r in requests],
            },
        )
    assert set(SupportRequest.objects.values_list("status", flat=True)) == {
        Status.ARRANGING
    }
    assert OutgoingMail.objects.filter(language="zh-hans").count() == 2


def test_the_assignee_field_lists_desk_members_only(desk, desk_user):
    support_request = factories.SupportRequestFactory()
    editor = staff("editors")
    response = desk.get(change_url(support_request))
    choices = response.context["adminform"].form.fields["assignee"].queryset
    assert desk_user in choices
    assert editor not in choices


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_canned_replies_come_in_the_requesters_language(desk, language):
    CannedReply.objects.create(
        title_ja="受付のお知らせ",
        title_zh_hans="受理通知",
        body_ja="ご依頼を受け付けました。",
        body_zh_hans="我们已受理您的申请。",
    )
    support_request = factories.SupportRequestFactory(language=language)
    html = desk.get(change_url(support_request)).text
    expected = {"ja": "ご依頼を受け付けました。", "zh-hans": "我们已受理您的申请。"}
    other = {"ja": "我们已受理您的申请。", "zh-hans": "ご依頼を受け付けました。"}
    assert f'data-body="{expected[language]}"' in html
    assert other[language] not in html


def test_the_thread_keeps_every_kind_of_entry_in_order(desk, desk_user):
    support_request = factories.SupportRequestFactory()
    support_request_post_message(request=support_request, body="質問があります。")
    support_request_post_message(
        request=support_request, body="回答します。", user=desk_user
    )
    support_request_post_message(
        request=support_request, body="予算を確認中。", user=desk_user, internal=True
    )
    support_request_change_status(
        request=support_request, status=Status.ARRANGING, user=desk_user
    )
    response = desk.get(change_url(support_request))
    kinds = [entry.kind for entry in response.context["thread"]]
    assert kinds == ["requester", "requester", "staff", "internal", "status"]
    assert response.context["thread"][2].who == "花子 北京"


def test_a_correction_is_kept_with_the_value_before(desk, desk_user):
    support_request = factories.SupportRequestFactory(email="wrong@example.jp")
    url = reverse(
        "admin:support_requests_supportrequest_correct", args=[support_request.pk]
    )
    page = desk.get(url)
    assert page.status_code == 200
    data = {
        name: ("" if value is None else value)
        for name, value in page.context["form"].initial.items()
        if name in page.context["form"].fields
    }
    data["email"] = "right@example.jp"
    response = desk.post(url, data)
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.email == "right@example.jp"
    correction = RequestCorrection.objects.get()
    assert (correction.field, correction.old_value, correction.new_value) == (
        "email",
        "wrong@example.jp",
        "right@example.jp",
    )
    assert correction.corrected_by == desk_user
    assert support_request.history.first().history_change_reason == "correction"
    # The old address is told, in the requester's language: a desk member who
    # put their own address there to have the tracking link sent again would
    # otherwise hold the requester's key unseen.
    told = OutgoingMail.objects.get(recipients="wrong@example.jp")
    assert support_request.reference in told.subject
    assert "変更しました" in told.body and "/track/" not in told.body
    thread = desk.get(change_url(support_request)).context["thread"]
    assert thread[-1].kind == "correction"
    # The change page itself edits only the status and the assignee.
    form = desk.get(change_url(support_request)).context["adminform"].form
    assert set(form.fields) == {"status", "assignee"}


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("phone", "<script>", "数字・スペース・+・-・括弧の6～24文字"),
        ("stay_start", "0001-01-01", "1970年から2100年までの日付を入力してください。"),
        ("stay_end", "9999-12-31", "1970年から2100年までの日付を入力してください。"),
        ("stay_end", "2026-12-01", "滞在終了日は滞在開始日より前にできません。"),
    ],
)
def test_a_correction_keeps_the_public_forms_rules(desk, field, value, said):
    """The desk's correction form took a phone of "<script>" and a stay from
    year 1, which left the request with no due date."""
    support_request = factories.SupportRequestFactory(
        stay_start=datetime.date(2026, 12, 10), stay_end=datetime.date(2026, 12, 12)
    )
    url = reverse(
        "admin:support_requests_supportrequest_correct", args=[support_request.pk]
    )
    desk.cookies["django_language"] = "ja"
    page = desk.get(url)
    data = {
        name: ("" if value is None else value)
        for name, value in page.context["form"].initial.items()
        if name in page.context["form"].fields
    }
    data[field] = value
    response = desk.post(url, data)

    assert response.status_code == 200
    assert said in response.content.decode()
    assert not RequestCorrection.objects.exists()


def test_an_editor_cannot_correct(client):
    support_request = factories.SupportRequestFactory()
    client.force_login(staff("editors"))
    url = reverse(
        "admin:support_requests_supportrequest_correct", args=[support_request.pk]
    )
    assert client.get(url).status_code == 403


def test_the_morning_reminder_on_a_working_day(desk_user, settings):
    settings.SUPPORT_DUE_WORKING_DAYS = 3
    colleague = staff("support desk")
    # The requesters wrote on Monday 30 November 2026: due on Thursday 3
    # December, three working days of both countries later.
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=BEIJING)):
        mine, theirs, answered = (
            _waiting_for_the_desk(assignee=desk_user),
            _waiting_for_the_desk(assignee=colleague),
            _waiting_for_the_desk(assignee=colleague),
        )
        support_request_post_message(request=answered, body="回答", user=colleague)
    assert mine.due_on == datetime.date(2026, 12, 3)

    before = set(OutgoingMail.objects.values_list("pk", flat=True))
    # Saturday 5 December, 08:30 in Beijing: the office is closed.
    with time_machine.travel(datetime.datetime(2026, 12, 5, 8, 30, tzinfo=BEIJING)):
        send_desk_reminders(timestamp=0)
    assert set(OutgoingMail.objects.values_list("pk", flat=True)) == before

    # Monday 7 December: both are late.
    with time_machine.travel(datetime.datetime(2026, 12, 7, 8, 30, tzinfo=BEIJING)):
        send_desk_reminders(timestamp=0)
    reminders = OutgoingMail.objects.exclude(pk__in=before)
    assert sorted(m.recipients for m in reminders) == sorted(
        [desk_user.email, colleague.email]
    )
    mail = reminders.get(recipients=desk_user.email)
    assert mine.reference in mail.body and theirs.reference not in mail.body
    assert answered.reference not in reminders.get(recipients=colleague.email).body
    assert "2026-12-03" in mail.body
    # In both languages: the desk has Japanese and Chinese members.
    assert "おはようございます" in mail.body and "早上好" in mail.body
    assert "期限切れ" in mail.subject and "逾期" in mail.subject, mail.subject


def _waiting_for_the_desk(**fields):
    request = factories.SupportRequestFactory(**fields)
    support_request_post_message(request=request, body="お願いします。")
    request.refresh_from_db()
    return request


def test_an_expert_request_reads_as_an_expert_dispatchs_steps(desk, desk_user, client):
    """One queue and one set of statuses, but an expert request's steps are
    named as an expert dispatch's (experts/steps.py), for the desk and for the
    Chinese requester."""
    support_request = factories.SupportRequestFactory(
        kind=RequestKind.EXPERT_DISPATCH,
        government=None,
        chinese_government=factories.ChineseCityFactory(),
        language="zh-hans",
        expert_field=ExpertField.objects.first(),
        expert_subject="有机农业技术",
        purpose="希望日本专家指导有机农业。",
    )
    support_request_change_status(
        request=support_request, status=Status.ARRANGING, user=desk_user
    )
    support_request.refresh_from_db()
    finding = in_language("zh-hans", "finding a Japanese expert")
    with translation.override("ja"):
        assert str(support_request.get_status_display()) == gettext(
            "finding a Japanese expert"
        )
    mail = OutgoingMail.objects.filter(language="zh-hans").last()
    assert finding in mail.subject
    html = desk.get(QUEUE).text
    assert in_language("ja", "finding a Japanese expert") in html
    page = client.get(f"/zh-hans/support/track/{support_request.token}/").text
    assert finding in page
    # An activity support keeps the office's own step names.
    other = factories.SupportRequestFactory(status=Status.ARRANGING)
    with translation.override("ja"):
        assert str(other.get_status_display()) == gettext("detailed arrangements")


def test_requests_closed_before_wait_for_nobody_after_the_migration():
    """Requests closed before the desk home had its queue of closed requests
    written to start outside it; open ones keep whom they wait for."""
    from importlib import import_module

    from django.apps import apps

    closed = factories.SupportRequestFactory(
        status=Status.WITHDRAWN, waiting_for=WaitingFor.DESK
    )
    waiting = factories.SupportRequestFactory(waiting_for=WaitingFor.REQUESTER)
    migration = import_module(
        "support_requests.migrations.0013_closed_requests_wait_for_nobody"
    )
    migration.closed_requests_wait_for_nobody(apps, None)
    closed.refresh_from_db()
    waiting.refresh_from_db()
    assert closed.waiting_for == WaitingFor.NOBODY
    assert waiting.waiting_for == WaitingFor.REQUESTER


def test_the_desk_home_counts_from_its_index(desk_user, today):
    """The desk home's counts read the partial index of the open requests
    and the closed ones written to (migration 0014), not every closed
    request of the table."""
    factories.SupportRequestFactory.create_batch(3)
    factories.SupportRequestFactory.create_batch(3, status=Status.COMPLETED)
    with CaptureQueriesContext(connection) as queries:
        desk_counts(user=desk_user, today=today)
    (sql,) = (q["sql"] for q in queries)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE support_requests_supportrequest")
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")
    # An index-only scan where the table is vacuumed (as in service); in a
    # test's fresh rows, another scan of the same index.
    assert "supportrequest_desk_home" in plan and "Seq Scan" not in plan, plan


@pytest.mark.parametrize(
    ("status", "waiting_for"),
    [(Status.COMPLETED, WaitingFor.NOBODY), (Status.RECEIVED, WaitingFor.DESK)],
)
def test_a_request_added_already_closed_waits_for_nobody(status, waiting_for):
    """The desk may add a request settled by phone as completed: it is not
    a closed request somebody wrote to (a reviewer's run counted it so)."""
    from support_requests.services import support_request_submit

    request = support_request_submit(
        kind=RequestKind.ACTIVITY_SUPPORT,
        language="ja",
        government=factories.JapaneseCityFactory(),
        department="国際課",
        contact_name="山田",
        email="yamada@example.jp",
        phone="03-0000-0000",
        purpose="友好交流",
        status=status,
    )
    assert request.waiting_for == waiting_for


def test_a_note_on_a_request_opened_again_meanwhile_keeps_it_waiting(desk_user):
    """A note sent from a page drawn while the request was closed: the
    colleague's reopening stands (the request waits for the desk, with its
    due date), not the closed state the page was drawn in."""
    support_request = factories.SupportRequestFactory(status=Status.COMPLETED)
    drawn_closed = SupportRequest.objects.get(pk=support_request.pk)
    support_request_change_status(
        request=support_request, status=Status.ARRANGING, user=desk_user
    )
    support_request_post_message(
        request=drawn_closed, body="メモ", user=desk_user, internal=True
    )
    support_request.refresh_from_db()
    assert support_request.status == Status.ARRANGING
    assert support_request.waiting_for == WaitingFor.DESK
