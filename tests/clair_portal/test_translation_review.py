"""Translations that know when they are stale: a person changes one language
of a text, the other is "to review" until someone confirms it (issue 14)."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clair_portal.foundation.models import JapaneseLocalGovernment, TranslationState
from clair_portal.foundation.translation_review import (
    translation_changes_record,
    translation_review_confirm,
)
from seminars.models import Seminar, SeminarOrganiser
from seminars.resources import SeminarResource
from tests import factories
from tests.admin_forms import form_data
from tests.test_import_export import (
    CSV_CHOICE,
    admin_export,
    admin_import_dry_run,
    admin_url,
    edit_csv,
)

pytestmark = pytest.mark.django_db

LIST = reverse("admin:clair_portal_translationstate_changelist")
CONFIRM = reverse("admin:clair_portal_translationstate_confirm")


def sign_in(client, *groups, permissions=(), superuser=False):
    user = factories.UserFactory(is_superuser=superuser)
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
    if permissions:
        user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    return sign_in(client, "editors")


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def edit_in_admin(client, record, **changes):
    """Open the record's change page and save it with `changes` (form field
    name -> value), as a person does."""
    page = client.get(change_url(record))
    assert page.status_code == 200
    response = client.post(change_url(record), form_data(page, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def state_of(record, field, language):
    return TranslationState.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        field=field,
        language=language,
    ).first()


def to_review(record):
    """{(field, language)} of `record` to review."""
    return set(
        TranslationState.objects.to_review()
        .filter(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
        )
        .values_list("field", "language")
    )


def listed(client, **query):
    response = client.get(LIST, query)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


# Done when: a test edits one language of a record and finds the other marked
# stale until confirmed. ---------------------------------------------------------------


def test_an_edit_of_one_language_marks_the_other_until_a_person_confirms_it(
    client, editor
):
    seminar = factories.SeminarFactory(theme_ja="環境協力", theme_zh_hans="环境合作")

    edit_in_admin(client, seminar, theme_ja="環境協力と観光")

    # The Chinese theme is to review; the Japanese one was changed, by whom.
    stale = state_of(seminar, "theme", "zh-hans")
    assert stale.needs_review
    assert stale.review_source == "ja"
    assert stale.review_requested_by == editor
    changed = state_of(seminar, "theme", "ja")
    assert not changed.needs_review
    assert changed.changed_by == editor and changed.changed_at is not None
    assert to_review(seminar) == {("theme", "zh-hans")}

    # In the list of translations to review: both texts side by side and a
    # link to the seminar.
    response = client.get(LIST)
    assert [row.pk for row in response.context["cl"].result_list] == [stale.pk]
    html = response.text
    assert "環境協力と観光" in html and "环境合作" in html
    assert f'href="{change_url(seminar)}"' in html

    # On the seminar's page: the mark beside the Chinese theme, and the button.
    page = client.get(change_url(seminar))
    help_text = page.context["adminform"].form.fields["theme_zh_hans"].help_text
    assert "translation-review-mark" in help_text
    assert f'name="state" value="{stale.pk}"' in help_text
    assert 'id="translation-review"' in page.text
    assert f'<form id="translation-review-form" method="post" action="{CONFIRM}">' in (
        page.text
    )
    assert "translation-review-mark" not in str(
        page.context["adminform"].form.fields["theme_ja"].help_text
    )

    # Confirmed: the mark is gone, with who and when, in the seminar's history.
    response = client.post(CONFIRM, {"state": stale.pk, "next": change_url(seminar)})
    assert response.status_code == 302
    assert response["Location"] == change_url(seminar)
    stale.refresh_from_db()
    assert not stale.needs_review
    assert stale.reviewed_by == editor and stale.reviewed_at is not None
    assert to_review(seminar) == set()
    assert listed(client) == []
    page = client.get(change_url(seminar))
    assert 'id="translation-review"' not in page.text
    assert "translation-review-mark" not in page.text
    entry = seminar.history.latest()
    assert entry.history_user == editor
    assert entry.history_type == "~"
    # Kept as a code, read in each admin's own language (it read in both).
    assert entry.history_change_reason == "translation_confirmed:theme:zh-hans"
    history = reverse("admin:seminars_seminar_history", args=[seminar.pk])
    for language, said, other in [
        ("ja", "翻訳を確認：テーマ（簡体字中国語）", "已确认翻译"),
        ("zh-hans", "已确认翻译：主题（简体中文）", "翻訳を確認"),
    ]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(history).text
        assert said in page and other not in page


def test_both_languages_changed_in_one_save_mark_nothing(client, editor):
    seminar = factories.SeminarFactory()
    edit_in_admin(client, seminar, theme_ja="新しいテーマ", theme_zh_hans="新主题")
    assert to_review(seminar) == set()
    assert state_of(seminar, "theme", "ja").changed_by == editor
    assert state_of(seminar, "theme", "zh-hans").changed_by == editor


def test_a_save_that_changes_no_text_marks_nothing(client, editor):
    seminar = factories.SeminarFactory()
    edit_in_admin(client, seminar, participants_japan="61")
    assert not TranslationState.objects.filter(object_id=seminar.pk).exists()


def test_each_field_and_each_direction_on_its_own(client, editor):
    seminar = factories.SeminarFactory()
    edit_in_admin(client, seminar, theme_zh_hans="新主题", report_ja="新しい報告")
    assert to_review(seminar) == {("theme", "ja"), ("report", "zh-hans")}


def test_bringing_the_stale_language_up_to_date_clears_it_and_marks_nothing(
    client, editor
):
    seminar = factories.SeminarFactory()
    edit_in_admin(client, seminar, theme_ja="新しいテーマ")
    assert to_review(seminar) == {("theme", "zh-hans")}
    edit_in_admin(client, seminar, theme_zh_hans="新主题")
    assert to_review(seminar) == set()


def test_filling_an_empty_translation_is_no_change_to_review(client, editor):
    seminar = factories.SeminarFactory(staff_note_ja="注記", staff_note_zh_hans="")
    # The Chinese note is missing, not stale.
    edit_in_admin(client, seminar, staff_note_ja="新しい注記")
    assert to_review(seminar) == set()
    # Filling it is the translation: the Japanese note is not stale either.
    edit_in_admin(client, seminar, staff_note_zh_hans="新备注")
    assert to_review(seminar) == set()


def test_emptying_a_language_marks_nothing(client, editor):
    seminar = factories.SeminarFactory()
    edit_in_admin(client, seminar, staff_note_ja="")
    assert to_review(seminar) == set()


def test_a_new_record_is_recorded_and_marks_nothing(client, editor):
    city = factories.ChineseCityFactory()
    add = reverse("admin:seminars_seminar_add")
    response = client.post(
        add,
        form_data(
            client.get(add),
            edition="401",
            fiscal_year="2030",
            host_city=str(city.pk),
            theme_ja="テーマ",
            theme_zh_hans="主题",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    seminar = Seminar.objects.get(edition=401)
    assert to_review(seminar) == set()
    assert state_of(seminar, "theme", "ja").changed_by == editor


def test_a_record_edited_inline_is_marked_and_shown_on_its_parents_page(client, editor):
    organiser = factories.SeminarOrganiserFactory()
    seminar = organiser.seminar
    page = client.get(change_url(seminar))
    (prefix,) = [
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is SeminarOrganiser
    ]
    response = client.post(
        change_url(seminar),
        form_data(page, **{f"{prefix}-0-name_ja": "北京事務所"}),
    )
    assert response.status_code == 302
    assert to_review(organiser) == {("name", "zh-hans")}
    page = client.get(change_url(seminar))
    (entry,) = page.context["translation_review"]["entries"]
    assert entry.state.object_id == organiser.pk
    assert "北京事務所" in page.text
    # The list links to the page it is edited on: its seminar's.
    assert f'href="{change_url(seminar)}"' in client.get(LIST).text


def test_the_action_confirms_the_selected_translations(client, editor):
    first, second = factories.SeminarFactory.create_batch(2)
    edit_in_admin(client, first, theme_ja="一")
    edit_in_admin(client, second, theme_ja="二")
    states = TranslationState.objects.to_review()
    response = client.post(
        LIST,
        {
            "action": "confirm",
            "_selected_action": [state.pk for state in states],
        },
    )
    assert response.status_code == 302
    assert not TranslationState.objects.to_review().exists()
    assert first.history.latest().history_user == editor


def test_confirming_what_is_no_longer_to_review_changes_nothing(editor):
    seminar = factories.SeminarFactory()
    old = seminar.theme_ja
    seminar.theme_ja = "新しいテーマ"
    seminar.save()
    (stale,) = [
        s
        for s in translation_changes_record(
            instance=seminar, before={"theme_ja": old}, user=editor
        )
        if s.needs_review
    ]
    entries = seminar.history.count()
    assert translation_review_confirm(states=[stale], user=editor) == 1
    assert translation_review_confirm(states=[stale], user=editor) == 0
    assert seminar.history.count() == entries + 1


# The list -------------------------------------------------------------------------


def test_the_list_filters_by_model_language_and_status_and_searches_texts(
    client, editor
):
    seminar = factories.SeminarFactory(theme_ja="港湾都市", theme_zh_hans="港口城市")
    place = factories.ChineseCityFactory()
    edit_in_admin(client, seminar, theme_zh_hans="港口城市交流")
    edit_in_admin(client, place, name_ja="新しい名前")
    seminar_state = state_of(seminar, "theme", "ja")
    place_state = state_of(place, "name", "zh-hans")

    assert set(listed(client)) == {seminar_state, place_state}
    seminar_type = ContentType.objects.get_for_model(Seminar)
    assert listed(client, model=seminar_type.pk) == [seminar_state]
    assert listed(client, language="zh-hans") == [place_state]
    assert listed(client, q="港湾") == [seminar_state]  # the other language's text
    assert listed(client, q="新しい名前") == [place_state]
    assert listed(client, q="何もない") == []
    # Confirmed ones leave the default list; "all" has every language known,
    # the changed ones too.
    translation_review_confirm(states=[place_state], user=editor)
    assert listed(client) == [seminar_state]
    assert set(listed(client, status="all")) == {
        seminar_state,
        place_state,
        state_of(seminar, "theme", "zh-hans"),
        state_of(place, "name", "ja"),
    }
    assert client.get(LIST, {"model": "abc"}).status_code == 302  # ?e=1


def test_the_translation_filter_of_a_list_has_to_review(client, editor):
    stale, other = factories.SeminarFactory.create_batch(2)
    edit_in_admin(client, stale, report_zh_hans="新报告")
    response = client.get(
        reverse("admin:seminars_seminar_changelist"), {"translation": "review"}
    )
    assert list(response.context["cl"].result_list) == [stale]


def test_the_missing_translations_page_counts_those_to_review(client, editor):
    seminar = factories.SeminarFactory()
    edit_in_admin(client, seminar, theme_ja="新しいテーマ", report_ja="新しい報告")
    response = client.get(reverse("admin-missing-translations"))
    (row,) = [r for r in response.context["rows"] if r["opts"].model is Seminar]
    assert row["review_count"] == 2
    assert row["review_url"] in response.text


def queries_of(client, url):
    client.get(url)  # warm: content types, permissions
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def stale_seminars(count):
    for seminar in factories.SeminarFactory.create_batch(count):
        organiser = factories.SeminarOrganiserFactory(seminar=seminar)
        for record, column in ((seminar, "theme_ja"), (organiser, "name_zh_hans")):
            before = {column: getattr(record, column)}
            setattr(record, column, f"{before[column]}（改）")
            record.save()
            translation_changes_record(instance=record, before=before)


def test_the_lists_queries_do_not_grow_with_rows(client, editor):
    stale_seminars(2)
    few = queries_of(client, LIST)
    stale_seminars(20)
    assert queries_of(client, LIST) == few


def test_a_records_page_costs_the_same_whatever_it_has_to_review(client, editor):
    seminar = factories.SeminarFactory()
    organisers = factories.SeminarOrganiserFactory.create_batch(2, seminar=seminar)
    url = change_url(seminar)
    clean = queries_of(client, url)
    for record, column in [(seminar, "theme_ja"), (seminar, "report_zh_hans")] + [
        (organiser, "name_ja") for organiser in organisers
    ]:
        before = {column: getattr(record, column)}
        setattr(record, column, "改")
        record.save()
        translation_changes_record(instance=record, before=before)
    page = client.get(url)
    assert len(page.context["translation_review"]["entries"]) == 4
    assert queries_of(client, url) == clean


# Imports, the brochures, deletions, check_data ------------------------------------


def test_an_import_marks_as_an_edit_does_and_its_dry_run_marks_nothing(client, editor):
    seminar = factories.SeminarFactory()
    exported = admin_export(client, Seminar, SeminarResource, CSV_CHOICE)

    def edit(records):
        (record,) = [r for r in records if r["id"] == str(seminar.pk)]
        record["theme_zh_hans"] = "导入的主题"

    content = edit_csv(exported.content, SeminarResource, "ja", edit)
    dry_run = admin_import_dry_run(client, Seminar, content)
    assert dry_run.context["result"].totals["update"] == 1
    assert not TranslationState.objects.exists()

    confirm = dry_run.context["confirm_form"]
    response = client.post(
        admin_url(Seminar, "process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )
    assert response.status_code == 302
    assert to_review(seminar) == {("theme", "ja")}
    assert state_of(seminar, "theme", "zh-hans").changed_by == editor


def test_loading_the_brochures_marks_nothing():
    """The brochures' texts are consistent as printed: loading them again over
    an edited text (of one language) restores it without marking the other."""
    seminar = Seminar.objects.get(edition=17)
    Seminar.objects.filter(pk=seminar.pk).update(theme_ja="書き換えたテーマ")
    call_command("load_brochures", stdout=io.StringIO())
    seminar.refresh_from_db()
    assert seminar.theme_ja != "書き換えたテーマ"
    assert not TranslationState.objects.exists()


def test_a_deleted_records_states_go_with_it(client, editor):
    seminar = factories.SeminarFactory()
    edit_in_admin(client, seminar, theme_ja="新しいテーマ")
    assert TranslationState.objects.filter(object_id=seminar.pk).exists()
    seminar.delete()
    assert not TranslationState.objects.exists()


def test_check_data_reports_translations_to_review(client, editor):
    seminar = factories.SeminarFactory()
    edit_in_admin(client, seminar, theme_ja="新しいテーマ")
    out = io.StringIO()
    call_command("check_data", stdout=out)
    report = out.getvalue()
    assert "[translations] 1 seminars.Seminar translation(s) to review" in report
    assert (
        f"[translations] to review: seminars.Seminar {seminar.pk} theme (zh-hans), "
        "ja changed" in report
    )


# Who sees and confirms them ---------------------------------------------------------

ROLES = ["anonymous", "editor", "support desk", "staff in no group", "superuser"]
MAY_CHANGE_SEMINARS = {"editor", "superuser"}


def client_as(client, role):
    if role == "superuser":
        return sign_in(client, superuser=True)
    if role == "editor":
        return sign_in(client, "editors")
    if role == "support desk":
        return sign_in(client, "support desk")
    if role == "staff in no group":
        return sign_in(client)
    return None


@pytest.fixture
def stale_seminar():
    seminar = factories.SeminarFactory(theme_ja="秘密の主題", theme_zh_hans="秘密主题")
    before = {"theme_ja": seminar.theme_ja}
    seminar.theme_ja = "改めた主題"
    seminar.save()
    translation_changes_record(instance=seminar, before=before)
    return seminar, state_of(seminar, "theme", "zh-hans")


@pytest.mark.parametrize("role", ROLES)
def test_only_who_may_change_the_model_sees_and_confirms_its_states(
    client, role, stale_seminar
):
    seminar, stale = stale_seminar
    client_as(client, role)
    allowed = role in MAY_CHANGE_SEMINARS

    response = client.get(LIST)
    if allowed:
        assert [row.pk for row in response.context["cl"].result_list] == [stale.pk]
    elif role == "support desk":
        # The desk changes its canned replies (translated): it sees the list,
        # with their states only.
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == []
        assert "改めた主題" not in response.text
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert "改めた主題" not in response.text
    detail = client.get(
        reverse("admin:clair_portal_translationstate_change", args=[stale.pk])
    )
    if role == "support desk":
        # A state the desk may not see is, to it, no state: the admin's
        # "does not exist" redirect to its index.
        assert detail.status_code == 302 and detail["Location"] == "/admin/"
    else:
        assert detail.status_code == (
            200 if allowed else 302 if role == "anonymous" else 403
        )
    page = client.get(change_url(seminar))
    assert ("translation-review-mark" in page.text) == allowed

    response = client.post(CONFIRM, {"state": stale.pk, "next": change_url(seminar)})
    stale.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and not stale.needs_review
    else:
        # The desk, which may review its canned replies, is sent back with
        # nothing confirmed; the others are refused.
        refused = (302,) if role in ("anonymous", "support desk") else (403,)
        assert response.status_code in refused
        assert stale.needs_review
    response = client.post(LIST, {"action": "confirm", "_selected_action": [stale.pk]})
    if not allowed:
        stale.refresh_from_db()
        assert stale.needs_review


def test_a_permission_on_one_model_shows_and_confirms_that_models_states_only(
    client, stale_seminar
):
    seminar, stale = stale_seminar
    place = factories.JapaneseCityFactory()
    before = {"name_ja": place.name_ja}
    place.name_ja = "新しい市"
    place.save()
    translation_changes_record(instance=place, before=before)
    place_state = state_of(place, "name", "zh-hans")
    sign_in(client, permissions=["change_japaneselocalgovernment"])

    assert listed(client) == [place_state]
    client.post(CONFIRM, {"state": [stale.pk, place_state.pk]})
    stale.refresh_from_db()
    place_state.refresh_from_db()
    assert stale.needs_review
    assert not place_state.needs_review
    assert isinstance(place, JapaneseLocalGovernment)


def test_who_may_only_view_a_record_sees_no_mark(client, stale_seminar):
    seminar, _stale = stale_seminar
    sign_in(client, permissions=["view_seminar"])
    page = client.get(change_url(seminar))
    assert page.status_code == 200
    assert "translation-review" not in page.text
    assert client.get(LIST).status_code == 403


def test_confirming_goes_back_only_to_a_page_of_the_portal(client, editor):
    response = client.post(CONFIRM, {"next": "https://elsewhere.example/"})
    assert response["Location"] == LIST
    assert client.get(CONFIRM).status_code == 405


@pytest.mark.parametrize("state", ["²", "２", "9" * 40, "1\x00"])
def test_an_id_that_cannot_be_one_is_left_alone(client, editor, state):
    """ "²" passed str.isdigit() and reached the database: a 500."""
    response = client.post(CONFIRM, {"state": state})
    assert response.status_code == 302


def test_texts_are_escaped_wherever_they_are_shown(client, editor):
    payload = "<script>xss()</script>"
    seminar = factories.SeminarFactory(theme_ja=payload, theme_zh_hans=payload)
    edit_in_admin(client, seminar, theme_ja=f"{payload}2")
    stale = state_of(seminar, "theme", "zh-hans")
    for url in (
        LIST,
        change_url(seminar),
        reverse("admin:clair_portal_translationstate_change", args=[stale.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "<script>xss()" not in response.text, url
        assert "&lt;script&gt;xss()" in response.text, url


def test_a_field_no_longer_translated_is_left_out_of_the_records_page(
    client, editor, stale_seminar
):
    seminar, stale = stale_seminar
    TranslationState.objects.filter(pk=stale.pk).update(field="former_field")
    page = client.get(change_url(seminar))
    assert page.status_code == 200
    assert page.context["translation_review"] is None
    assert client.get(LIST).status_code == 200
