"""RATELIMIT_ENABLE=0 switches the support forms' rate limit off, for the
load test, whose posts all come from 127.0.0.1; it is on by default."""

import pytest
from django.core.cache import caches

from .test_logging import run_python

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_counts(one_window):
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def statuses(client, posts):
    # An empty form: refused by validation (200), never saved.
    return [client.post("/ja/support/request/", {}).status_code for _ in range(posts)]


def test_the_limit_is_on_by_default(client, settings):
    settings.SUPPORT_FORM_RATELIMIT = "3/m"
    assert statuses(client, 4) == [200, 200, 200, 429]


def test_the_limit_can_be_switched_off(client, settings):
    settings.SUPPORT_FORM_RATELIMIT = "3/m"
    settings.RATELIMIT_ENABLE = False
    assert statuses(client, 6) == [200] * 6


def test_the_switch_comes_from_the_environment():
    probe = "from django.conf import settings; print(settings.RATELIMIT_ENABLE)"
    assert run_python(probe).split() == ["True"]
    assert run_python(probe, RATELIMIT_ENABLE="0").split() == ["False"]
