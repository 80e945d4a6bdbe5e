"""CSRF and the per-address limit on the forms' POSTs."""

import pytest
from django.test import Client

from support_requests.models import SupportRequest

from .helpers import activity_data, expert_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/ja/support/request/", "/zh-hans/experts/request/"])
def test_csrf_is_enforced(path):
    client = Client(enforce_csrf_checks=True)
    data = activity_data() if "support" in path else expert_data()
    assert client.post(path, data).status_code == 403
    assert SupportRequest.objects.count() == 0


def test_forms_carry_a_csrf_token(client):
    for path in ("/ja/support/request/", "/zh-hans/experts/request/"):
        assert 'name="csrfmiddlewaretoken"' in client.get(path).content.decode()


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_the_eleventh_post_in_a_minute_gets_429(client, language, one_window):
    path = f"/{language}/support/request/"
    for _attempt in range(10):
        assert client.post(path, {"department": "x"}).status_code == 200
    response = client.post(path, activity_data())
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert html.count("<h1>") == 1
    assert SupportRequest.objects.count() == 0
    assert client.get(path).status_code == 200  # reading the form is not limited


def test_both_forms_share_the_limit(client, one_window):
    for _attempt in range(5):
        client.post("/ja/support/request/", {})
        client.post("/zh-hans/experts/request/", {})
    assert client.post("/zh-hans/experts/request/", expert_data()).status_code == 429


def test_the_limit_is_per_address(client, one_window):
    for _attempt in range(10):
        client.post("/ja/support/request/", {}, REMOTE_ADDR="192.0.2.1")
    assert (
        client.post("/ja/support/request/", {}, REMOTE_ADDR="192.0.2.1").status_code
        == 429
    )
    assert (
        client.post("/ja/support/request/", {}, REMOTE_ADDR="192.0.2.2").status_code
        == 200
    )


def test_behind_the_proxy_the_forwarded_address_counts(client, settings, one_window):
    """With a proxy, REMOTE_ADDR is the proxy's: counting by it would put every
    visitor in one bucket. The address the proxy appended counts instead."""
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _attempt in range(10):
        client.post(
            "/ja/support/request/", {}, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy
        )
    limited = client.post(
        "/ja/support/request/",
        {},
        # A forged entry on the left changes nothing.
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
        **proxy,
    )
    assert limited.status_code == 429
    other = client.post(
        "/ja/support/request/", {}, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy
    )
    assert other.status_code == 200


def test_replies_on_the_tracking_page_are_limited_too(client, one_window):
    from tests.factories import SupportRequestFactory

    support_request = SupportRequestFactory()
    path = f"/ja/support/track/{support_request.token}/"
    for _attempt in range(10):
        assert client.post(path, {"body": ""}).status_code == 200
    assert client.post(path, {"body": "11通目"}).status_code == 429
    assert support_request.messages.count() == 0
