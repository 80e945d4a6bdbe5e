"""The audit trail (django-simple-history): which models keep history, with
which columns, and which writes leave a record."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from modeltranslation.translator import NotRegistered, translator
from simple_history.middleware import HistoryRequestMiddleware

from clair_portal.foundation.history import TRACKED_MODELS
from clair_portal.foundation.models import JapaneseLocalGovernment
from seminars.models import Seminar
from support_requests.models import RequestKind, SupportRequest
from support_requests.services import (
    support_request_change_status,
    support_request_post_message,
    support_request_submit,
)
from tests.factories import SeminarFactory, UserFactory

pytestmark = pytest.mark.django_db

PROGRAM_APPS = ["seminars", "jet", "exchange", "experts"]
OTHER_TRACKED = {
    "news.NewsItem",
    "news.Publication",
    "clair_portal.JapaneseLocalGovernment",
    "clair_portal.ChineseLocalGovernment",
    "clair_portal.Photo",
    "clair_portal.BrochureEdition",
    "clair_portal.KeyFigure",
    "clair_portal.StaffMember",
    "clair_portal.Greeting",
    "clair_portal.OfficeContact",
    "clair_portal.ProgramIntro",
    "support_requests.SupportRequest",
    "support_requests.SupportService",
    "support_requests.SupportYearlyFigure",
    "support_requests.SupportExample",
    "support_requests.RequestMessage",
    # Canned replies: who changed the desk's texts, and what they said before.
    "support_requests.CannedReply",
}


def translated_fields(model):
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def test_every_program_model_keeps_history():
    program_models = {
        model._meta.label
        for app_label in PROGRAM_APPS
        for model in apps.get_app_config(app_label).get_models()
        if not model._meta.label.split(".")[1].startswith("Historical")
    }
    assert {model._meta.label for model in TRACKED_MODELS} == (
        program_models | OTHER_TRACKED
    )


@pytest.mark.parametrize(
    "model", TRACKED_MODELS, ids=[model._meta.label for model in TRACKED_MODELS]
)
def test_the_history_keeps_every_column_in_both_languages(model):
    historical = {field.name for field in model.history.model._meta.fields}
    translated = translated_fields(model)
    for name in translated:
        assert {f"{name}_ja", f"{name}_zh_hans"} <= historical
        # The bare field reads as the active language: not a column of its own.
        assert name not in historical
    untranslated = {field.name for field in model._meta.concrete_fields} - translated
    # Columns derived from others (a place's search text) are left out.
    derived = set(getattr(model, "untracked_fields", ()))
    assert untranslated - derived <= historical
    assert not derived & historical
    assert {"history_user", "history_date", "history_type"} <= historical


def test_a_translated_change_is_recorded_in_its_language():
    seminar = SeminarFactory(theme_ja="旧", theme_zh_hans="旧主题")
    seminar.theme_zh_hans = "新主题"
    seminar.save()
    latest = seminar.history.latest()
    delta = latest.diff_against(latest.prev_record)
    assert delta.changed_fields == ["theme_zh_hans"]
    assert (delta.changes[0].old, delta.changes[0].new) == ("旧主题", "新主题")


def test_the_author_of_a_request_is_recorded():
    editor = UserFactory()
    seminar = SeminarFactory()
    request = RequestFactory().post("/")
    request.user = editor

    def edit(request):
        seminar.participants_japan += 1
        seminar.save()

    HistoryRequestMiddleware(edit)(request)
    assert seminar.history.latest().history_user == editor


def test_support_request_services_write_history():
    support_request = support_request_submit(
        kind=RequestKind.ACTIVITY_SUPPORT,
        language="ja",
        government=JapaneseLocalGovernment.objects.get(code="26"),
        department="国際課",
        contact_name="京都花子",
        email="kyoto@example.jp",
        phone="075-000-0000",
        purpose="友好交流",
        stay_start=timezone.localdate() + datetime.timedelta(days=10),
        stay_end=timezone.localdate() + datetime.timedelta(days=12),
    )
    created = support_request.history.get()
    assert created.history_type == "+"
    assert created.reference == support_request.reference

    staff = UserFactory()
    support_request_change_status(
        request=support_request, status=SupportRequest.Status.ARRANGING, user=staff
    )
    changed = support_request.history.latest()
    assert changed.history_type == "~"
    assert "status" in changed.diff_against(created).changed_fields

    message = support_request_post_message(
        request=support_request, body="日程を確認しました。", user=staff
    )
    assert message.history.get().history_type == "+"


def test_the_brochures_are_in_the_history_once():
    """load_brochures starts each loaded record's history (loaddata's raw saves
    write none); a second run adds nothing."""
    assert (
        Seminar.history.filter(history_change_reason="load_brochures").count()
        == Seminar.objects.count()
    )
    before = {model: model.history.count() for model in TRACKED_MODELS}
    call_command("load_brochures", stdout=io.StringIO())
    assert {model: model.history.count() for model in TRACKED_MODELS} == before
