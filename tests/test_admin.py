import io
import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from procrastinate.contrib.django.models import ProcrastinateJob

from clair_portal.foundation.models import OutgoingMail
from clair_portal.foundation.tasks import send_mail
from clair_portal.foundation.translation_review import translation_changes_record
from clair_portal.foundation.translations import missing_translation_counts
from seminars.models import Seminar, SeminarOrganiser
from support_requests.models import CannedReply, SupportRequest, UnsortedMail
from tests import factories

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.fixture
def staff_client(client):
    """A client signed in as a staff member of the given groups."""

    def sign_in(*group_names):
        user = factories.UserFactory()
        user.groups.set(Group.objects.filter(name__in=group_names))
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def program_records():
    """Records of the models the brochures leave empty, and a few more."""
    request = factories.SupportRequestFactory()
    request.services.add(factories.SupportServiceFactory())
    CannedReply.objects.create(
        title_ja="受付",
        title_zh_hans="受理",
        body_ja="承りました。",
        body_zh_hans="已受理。",
    )
    UnsortedMail.objects.create(
        message_id="<unsorted@example.jp>",
        sender="someone@example.jp",
        recipient="clairbj-jp@clair.org.cn",
        subject="件名",
        body="本文",
        reason=UnsortedMail.Reason.NO_REFERENCE,
    )
    seminar = factories.SeminarFactory()
    # A translation to review: the Japanese theme changed, the Chinese did not.
    before = {"theme_ja": seminar.theme_ja}
    seminar.theme_ja = f"{seminar.theme_ja}（改）"
    seminar.save()
    translation_changes_record(instance=seminar, before=before)
    factories.SeminarOrganiserFactory(seminar=seminar)
    factories.SeminarProgrammeDayFactory(seminar=seminar)
    factories.PhotoFactory(subject=seminar)
    factories.CookingMenuItemFactory()
    factories.ExpertDispatchFactory()
    factories.LgotpPlacementFactory()
    factories.TravelExpoFactory()
    factories.JetFigureFactory()
    factories.KeyFigureFactory()
    factories.StaffMemberFactory()
    factories.NewsItemFactory()
    # A file name only: no file written outside the tests' folders.
    factories.PublicationFactory(file="publications/report.pdf")
    mail = OutgoingMail.objects.create(
        recipients="someone@example.jp", subject="件名", body="本文", language="ja"
    )
    send_mail.defer(mail_id=mail.pk)  # a job for the worker's admin


@pytest.mark.parametrize(
    "model", REGISTERED, ids=[model._meta.label for model in REGISTERED]
)
def test_every_admin_lists_adds_and_changes(
    admin_client, admin_user, rf, program_records, model
):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    # A read-only admin (the mail outbox) refuses its add page, even to a superuser.
    request = rf.get("/")
    request.user = admin_user
    can_add = admin.site._registry[model].has_add_permission(request)
    expected = 200 if can_add else 403
    assert admin_client.get(admin_url(model, "add")).status_code == expected
    record = model._default_manager.first()
    assert record is not None, "no data to show"
    assert admin_client.get(admin_url(model, "change", record.pk)).status_code == 200


def test_missing_filter_lists_records_with_only_japanese(admin_client):
    only_japanese = factories.SeminarFactory(
        theme_ja="日本語だけのテーマ", theme_zh_hans=""
    )
    complete = factories.SeminarFactory(theme_ja="両言語のテーマ")

    response = admin_client.get(
        admin_url(Seminar, "changelist"), {"translation": "missing"}
    )

    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert only_japanese in listed
    assert complete not in listed
    assert "日本語だけのテーマ" in response.text
    assert "両言語のテーマ" not in response.text

    response = admin_client.get(
        admin_url(Seminar, "changelist"), {"translation": "complete"}
    )
    listed = list(response.context["cl"].result_list)
    assert complete in listed
    assert only_japanese not in listed


def test_a_required_text_empty_in_both_languages_is_missing(admin_client):
    from experts.models import ExpertDispatch

    dispatch = factories.ExpertDispatchFactory(expert_ja="", expert_zh_hans=None)
    response = admin_client.get(
        admin_url(ExpertDispatch, "changelist"), {"translation": "missing"}
    )
    assert list(response.context["cl"].result_list) == [dispatch]


def test_missing_translations_page_counts_per_model(admin_client):
    before = dict(missing_translation_counts())
    factories.SeminarFactory.create_batch(2, report_zh_hans="")
    organiser = factories.SeminarOrganiserFactory(name_zh_hans="")

    response = admin_client.get(reverse("admin-missing-translations"))

    assert response.status_code == 200
    counts = {row["opts"].model: row["count"] for row in response.context["rows"]}
    assert counts[Seminar] == before[Seminar] + 2
    assert counts[SeminarOrganiser] == before[SeminarOrganiser] + 1
    seminars_missing = admin_url(Seminar, "changelist") + "?translation=missing"
    assert seminars_missing in response.text
    # An organiser is edited inline: the link lists the seminars that hold it.
    organiser_row = next(
        row for row in response.context["rows"] if row["opts"].model is SeminarOrganiser
    )
    response = admin_client.get(organiser_row["url"])
    assert response.status_code == 200
    assert organiser.seminar in response.context["cl"].result_list


def test_admin_index_links_to_missing_translations(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert reverse("admin-missing-translations") in response.text


def test_editors_keep_program_records_but_not_support_requests(staff_client):
    client = staff_client("editors")
    assert client.get(admin_url(SupportRequest, "changelist")).status_code == 403
    assert client.get(admin_url(Seminar, "changelist")).status_code == 200
    assert client.get(admin_url(Seminar, "add")).status_code == 200


def test_support_desk_works_on_requests_only(staff_client):
    factories.SupportRequestFactory()
    client = staff_client("support desk")
    assert client.get(admin_url(SupportRequest, "changelist")).status_code == 200
    assert client.get(admin_url(SupportRequest, "add")).status_code == 200
    assert client.get(admin_url(Seminar, "add")).status_code == 403
    # Places are searched for the requesting government.
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "support_requests",
            "model_name": "supportrequest",
            "field_name": "government",
            "term": "高山",
        },
    )
    assert response.status_code == 200


def test_support_desk_cannot_delete_requests(staff_client):
    request = factories.SupportRequestFactory()
    client = staff_client("support desk")
    assert (
        client.get(admin_url(SupportRequest, "delete", request.pk)).status_code == 403
    )


def test_photo_inline_previews_the_thumbnail(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), "#1d4f91").save(buffer, "JPEG")
    seminar = factories.SeminarFactory()
    factories.PhotoFactory(
        subject=seminar,
        image=SimpleUploadedFile("hall.jpg", buffer.getvalue(), "image/jpeg"),
    )
    factories.PhotoFactory(subject=seminar)  # not scanned yet

    html = admin_client.get(admin_url(Seminar, "change", seminar.pk)).text

    assert re.search(r'<img src="/media/CACHE/images/photos/[^"]+\.jpg"', html)


EXTERNAL_SCRIPT = re.compile(r"""<script[^>]+src=["'](https?:)?//""")


@pytest.mark.parametrize("view", ["add", "change"])
def test_admin_pages_load_nothing_from_other_hosts(admin_client, view):
    seminar = factories.SeminarFactory()
    args = [seminar.pk] if view == "change" else []
    html = admin_client.get(admin_url(Seminar, view, *args)).text
    assert "//ajax.googleapis.com" not in html
    assert not EXTERNAL_SCRIPT.search(html)


def test_both_languages_are_edited_side_by_side(admin_client):
    """Each language's input of a translated field is marked with its lang,
    which lays them out in two columns (static/admin_extra/admin.css); no
    tabs."""
    seminar = factories.SeminarFactory(
        theme_ja="日本語のテーマ", theme_zh_hans="中文主题"
    )
    html = admin_client.get(admin_url(Seminar, "change", seminar.pk)).text
    tags = re.findall(r"<input[^>]*>", html)
    assert any('value="日本語のテーマ"' in tag and 'lang="ja"' in tag for tag in tags)
    assert any('value="中文主题"' in tag and 'lang="zh-hans"' in tag for tag in tags)
    assert "tabbed_translation_fields" not in html


def test_admin_language_follows_the_switch(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert 'lang="ja"' in response.text
    assert 'action="/i18n/setlang/"' in response.text

    response = admin_client.post(
        reverse("set_language"), {"language": "zh-hans", "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response.url == "/admin/"

    response = admin_client.get(reverse("admin:index"))
    assert '<html lang="zh-hans"' in response.text
    assert "注销" in response.text  # Django's own "Log out"


# procrastinate's English on its job list and a job's page: its field names
# (the filters' titles), statuses, event types, column titles, actions and
# summary. Matched as whole words, in the page's text without its markup.
PROCRASTINATE_ENGLISH = [
    "Procrastinate", "procrastinate job", "Queue name", "Task name",
    "Queueing lock", "Scheduled at", "Priority", "Lock", "Todo", "Doing",
    "Succeeded", "Failed", "Cancelled", "Aborted", "Deferred", "Task Name",
    "Summary", "Args", "Retry Job", "Cancel Job", "Abort Job", "Queue:",
    "ago", "Attempts", "Abort requested", "Worker", "Procrastinate event", "Pk",
]  # fmt: skip


def page_text(html):
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.mark.parametrize(
    ("language", "name", "status", "event"),
    [
        ("ja", "バックグラウンド処理", "待機中", "登録"),
        ("zh-hans", "后台任务", "等待中", "已加入队列"),
    ],
)
def test_the_job_queue_is_named_in_the_admins_language(
    admin_client, language, name, status, event
):
    """procrastinate names its app, jobs, fields, statuses and actions in
    English only: the portal names them in the sidebar, the index, the job
    list with its filters, and a job's page."""
    mail = OutgoingMail.objects.create(
        recipients="someone@example.jp", subject="件名", body="本文", language="ja"
    )
    send_mail.defer(mail_id=mail.pk)
    job = ProcrastinateJob.objects.filter(task_name=send_mail.name).latest("id")
    admin_client.post(reverse("set_language"), {"language": language, "next": "/"})
    jobs = reverse("admin:procrastinate_procrastinatejob_changelist")
    job_page = reverse("admin:procrastinate_procrastinatejob_change", args=[job.pk])
    for url in (reverse("admin:index"), jobs, job_page):
        response = admin_client.get(url)
        assert response.status_code == 200
        text = page_text(response.text)
        assert name in text
        english = [
            word
            for word in PROCRASTINATE_ENGLISH
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.I)
        ]
        assert english == [], url
    listed = page_text(admin_client.get(jobs).text)
    assert status in listed  # the job's status, and the filter's choice
    assert event in listed  # its last event, in the summary
    assert f">{send_mail.name}<" in admin_client.get(jobs).text  # its whole name
    actions = admin_client.get(jobs).context["action_form"].fields["action"].choices
    assert all(not re.search(r"[A-Za-z]{3}", str(label)) for _, label in actions)


@pytest.mark.parametrize(
    ("language", "message"),
    [("ja", "取り消した処理：1件"), ("zh-hans", "已取消的任务：1 个")],
)
def test_a_job_action_says_what_it_did(admin_client, language, message):
    """procrastinate's actions said nothing: cancelling a waiting job now says
    how many of the chosen jobs it cancelled, and the job is cancelled."""
    mail = OutgoingMail.objects.create(
        recipients="someone@example.jp", subject="件名", body="本文", language="ja"
    )
    send_mail.defer(mail_id=mail.pk)
    job = ProcrastinateJob.objects.filter(task_name=send_mail.name).latest("id")
    admin_client.post(reverse("set_language"), {"language": language, "next": "/"})
    response = admin_client.post(
        reverse("admin:procrastinate_procrastinatejob_changelist"),
        {"action": "cancel", "_selected_action": [job.pk]},
        follow=True,
    )
    assert message in page_text(response.text)
    job.refresh_from_db()
    assert job.status == "cancelled"


def test_fiscal_year_follows_the_start_date(admin_client):
    from jet.models import ReturneeGathering

    response = admin_client.post(
        admin_url(ReturneeGathering, "add"),
        {
            "fiscal_year": "",
            "start_date": "2041-02-10",
            "title_ja": "JET経験者交流会",
            "title_zh_hans": "JET归国人员交流会",
            "clair_portal-photo-content_type-object_id-TOTAL_FORMS": "0",
            "clair_portal-photo-content_type-object_id-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ReturneeGathering.objects.get(title_ja="JET経験者交流会").fiscal_year == 2040


# A changelist runs the same queries whatever the number of rows: session, user,
# counts, the page, one per list filter over related rows; photos add one per
# kind of subject (a seminar, an expo...).
CHANGELIST_FACTORIES = [
    (factories.SeminarFactory, 10),
    (factories.SupportRequestFactory, 10),
    (factories.ExpertDispatchFactory, 10),
    (factories.LgotpPlacementFactory, 10),
    (factories.TravelExpoFactory, 10),
    (factories.CookingEventFactory, 10),
    (factories.StaffMemberFactory, 10),
    (factories.JapaneseCityFactory, 10),
    (factories.PhotoFactory, 20),
]


@pytest.mark.parametrize(
    "factory, max_queries",
    CHANGELIST_FACTORIES,
    ids=[factory._meta.model.__name__ for factory, _ in CHANGELIST_FACTORIES],
)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client, django_assert_max_num_queries, factory, max_queries
):
    url = admin_url(factory._meta.model, "changelist")
    admin_client.get(url)  # warm the content-type cache

    factory.create_batch(5)
    with django_assert_max_num_queries(max_queries):
        with CaptureQueriesContext(connection) as with_5_rows:
            assert admin_client.get(url).status_code == 200

    factory.create_batch(45)
    with django_assert_max_num_queries(max_queries):
        with CaptureQueriesContext(connection) as with_50_rows:
            assert admin_client.get(url).status_code == 200

    # Not more with more rows. (The photo list fetches each kind of subject on
    # its page in one query: fewer kinds on a page, fewer queries.)
    assert len(with_50_rows) <= len(with_5_rows)


@pytest.mark.parametrize(
    ("language", "template_row", "first_row"),
    [("ja", "（新しい行）", "（1行目）"), ("zh-hans", "（新行）", "（第1行）")],
)
def test_an_inline_rows_inputs_are_named_by_column_and_row(
    admin_client, language, template_row, first_row
):
    """The template row read 「役割（新しい行行目）」, and every row added
    from it kept that (a reviewer's run)."""
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    seminar = Seminar.objects.get(edition=17)
    html = admin_client.get(
        reverse("admin:seminars_seminar_change", args=[seminar.pk])
    ).text
    labels = re.findall(r'aria-label="([^"]+)"', html)
    assert any(label.endswith(template_row) for label in labels)
    assert any(label.endswith(first_row) for label in labels)
    assert not any("行行" in label for label in labels)
