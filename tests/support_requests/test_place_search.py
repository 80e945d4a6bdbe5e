"""A requester finds their own government by typing part of its name, in
either language or script, without JavaScript: the form finds the one place
meant, or shows the candidates to choose from and takes the one chosen."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from support_requests.models import SupportRequest

from .helpers import activity_data, expert_data
from .test_validation import field_errors

pytestmark = pytest.mark.django_db

SEVERAL = (
    "Several local governments match “%(text)s”: choose yours below, or type more "
    "of its name."
)
CANDIDATE = re.compile(
    r'<input type="radio" name="government_pick" value="(\d+)"[^>]*>\s*'
    r"<label[^>]*>([^<]+)<"
)


def candidates(html):
    return [(code, label.strip()) for code, label in CANDIDATE.findall(html)]


@pytest.mark.parametrize(
    ("language", "typed", "label"),
    [
        ("ja", "鹿儿", "鹿児島県"),
        ("ja", "かごしま", "鹿児島県"),
        ("zh-hans", "鹿児", "鹿儿岛县"),
        ("zh-hans", "鹿儿", "鹿儿岛县"),
    ],
)
def test_part_of_a_name_shows_the_candidates_then_takes_the_one_chosen(
    client, django_capture_on_commit_callbacks, language, typed, label
):
    data = activity_data(government=typed)
    response = client.post(f"/{language}/support/request/", data)
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override(language):
        assert gettext(SEVERAL) % {"text": typed} in field_errors(html, "government")
    found = candidates(html)
    assert found[0] == ("46", label)
    assert (
        "46201",
        f"{label}{'鹿児島市' if language == 'ja' else '鹿儿岛市'}",
    ) in found
    assert SupportRequest.objects.count() == 0

    # The requester chooses the prefecture and sends again, as typed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/{language}/support/request/", {**data, "government_pick": "46"}
        )
    assert response.status_code == 302
    assert SupportRequest.objects.get().government.code == "46"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("岐阜県高山市", "21203"),  # its full name: one place
        ("岐阜县 高山市", "21203"),  # in Chinese, with a space
        ("高山市", "21203"),  # a name only one place has
        ("鹿儿岛县", "46"),
        ("东京都", "13"),  # the prefecture, not the places in it
        ("渋谷", "13113"),  # a special ward
        ("涩谷区", "13113"),
        ("野野市", "17212"),  # 野々市市 in Chinese
    ],
)
def test_a_name_that_means_one_government_is_taken_at_once(
    client, django_capture_on_commit_callbacks, typed, code
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ja/support/request/", activity_data(government=typed))
    assert response.status_code == 302, field_errors(
        response.content.decode(), "government"
    )
    assert SupportRequest.objects.get().government.code == code


@pytest.mark.parametrize(
    ("language", "typed", "code"),
    [
        ("zh-hans", "四平", "220300"),
        ("zh-hans", "沈阳", "210100"),
        ("ja", "瀋陽", "210100"),
        ("ja", "ウルムチ", "650100"),
        ("ja", "延辺", "222400"),
    ],
)
def test_the_expert_form_finds_chinese_governments(
    client, django_capture_on_commit_callbacks, language, typed, code
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/{language}/experts/request/", expert_data(government=typed)
        )
    assert response.status_code == 302
    assert SupportRequest.objects.get().chinese_government.code == code


def test_a_choice_the_text_no_longer_names_is_not_taken(client):
    """A stale code (chosen, then the text changed) gives way to the text."""
    response = client.post(
        "/ja/support/request/",
        activity_data(government="府中", government_pick="46"),
    )
    html = response.content.decode()
    assert [code for code, _ in candidates(html)] == ["13206", "34208", "34302"]


def test_the_candidates_are_bounded(client):
    html = client.post(
        "/ja/support/request/", activity_data(government="市")
    ).content.decode()
    assert len(candidates(html)) == 10


@pytest.mark.parametrize(
    "fields",
    [
        {"government": "\x00"},
        {"government": "高山", "government_pick": "\x00"},
        {"government": "高山", "government_pick": "٢١٢٠٣"},
        {"government": "高山", "government_pick": "9" * 5000},
        {"government": "鹿" * 100_000},
        {"government": "%_|/\\"},
        {"government": ["高山", "鹿児島"], "government_pick": ["21203", "46"]},
    ],
)
def test_hostile_values_are_refused_with_a_message(client, fields):
    response = client.post("/ja/support/request/", activity_data(**fields))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert field_errors(response.content.decode(), "government")


def test_the_form_page_reads_no_place(client):
    """The page no longer lists 1,788 governments: its queries do not grow."""
    with CaptureQueriesContext(connection) as queries:
        client.get("/ja/support/request/")
    assert not any("localgovernment" in q["sql"] for q in queries.captured_queries)
