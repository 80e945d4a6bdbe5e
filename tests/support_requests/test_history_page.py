"""A request's history as the desk reads it: statuses, reasons, people and
times in words, in the reader's language, without the bookkeeping of who
acted last."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from experts.steps import EXPERT_DISPATCH_STEPS
from support_requests.models import SupportRequest
from support_requests.services import (
    support_request_change_status,
    support_request_correct,
)
from tests import factories
from tests.support_requests.test_desk_work import staff

pytestmark = pytest.mark.django_db


def history_text(client, support_request, language):
    client.cookies["django_language"] = language
    url = reverse(
        "admin:support_requests_supportrequest_history", args=[support_request.pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    table = re.search(
        r'<table id="change-history".*?</table>', response.content.decode(), re.S
    )
    return re.sub(r"\s+", " ", strip_tags(table.group(0)))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "ja",
            ["申込受付", "詳細な打ち合わせ", "担当者による訂正", "花子 北京", "依頼者"],
        ),
        ("zh-hans", ["已受理申请", "详细协商", "工作人员更正", "花子 北京", "申请方"]),
    ],
)
def test_the_history_reads_as_words_in_the_readers_language(client, language, words):
    desk_user = staff("support desk", first_name="花子", last_name="北京")
    support_request = factories.SupportRequestFactory(email="wrong@example.jp")
    support_request_change_status(
        request=support_request, status=SupportRequest.Status.ARRANGING, user=desk_user
    )
    support_request_correct(
        request=support_request, user=desk_user, changes={"email": "right@example.jp"}
    )
    client.force_login(desk_user)
    text = history_text(client, support_request, language)
    for word in words:
        assert word in text
    assert "wrong@example.jp" in text and "right@example.jp" in text
    # Not the stored codes, Python's None or the row's own who and when again.
    for raw in ("received", "arranging", "correction", "None", "pk=", "+00:00"):
        assert raw not in text
    last_activity = SupportRequest._meta.get_field("last_activity_by").verbose_name
    assert str(last_activity) not in text


def test_values_without_words_of_their_own_are_put_in_words():
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import translation
    from simple_history.models import DeletedObject

    from clair_portal.foundation.history_admin import readable_value

    field = SupportRequest._meta.get_field("last_activity_by")
    user_model = get_user_model()
    with translation.override("ja"):
        assert readable_value(field, DeletedObject(user_model, None)) == "（空欄）"
        assert readable_value(field, DeletedObject(user_model, 6)) == (
            "（削除されたユーザー）"
        )
        assert readable_value(field, "") == "（空欄）"
        assert readable_value(field, True) == "はい"
        moment = datetime.datetime(2026, 12, 5, 1, 7, 55, tzinfo=datetime.UTC)
        assert readable_value(field, moment) == "2026年12月5日9:07"  # Beijing
        assert readable_value(field, datetime.date(2027, 3, 1)) == "2027年3月1日"
    with translation.override("zh-hans"):
        assert readable_value(field, DeletedObject(user_model, 6)) == "（已删除的用户）"


def test_an_expert_dispatchs_history_names_its_own_steps(client):
    from django.utils import translation

    desk_user = staff("support desk")
    support_request = factories.SupportRequestFactory(
        kind="expert_dispatch",
        government=None,
        chinese_government=factories.ChineseCityFactory(),
    )
    support_request_change_status(
        request=support_request, status=SupportRequest.Status.ARRANGING, user=desk_user
    )
    client.force_login(desk_user)
    for language in ("ja", "zh-hans"):
        text = history_text(client, support_request, language)
        with translation.override(language):
            step = str(EXPERT_DISPATCH_STEPS["arranging"])
            generic = str(SupportRequest.Status.ARRANGING.label)
        assert step in text and generic not in text
