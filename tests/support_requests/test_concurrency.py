"""Fifty requests sent at the same moment get fifty distinct references."""

import threading

from django.db import connections
from django.test import Client

from support_requests.models import SupportRequest

from .helpers import activity_data, expert_data

SUBMISSIONS = 50


def test_concurrent_submissions_get_distinct_references(settings, committed_brochures):
    settings.RATELIMIT_ENABLE = False  # all fifty come from 127.0.0.1
    forms = [
        ("/ja/support/request/", activity_data(email=f"ja{n}@example.jp"))
        if n % 2
        else ("/zh-hans/experts/request/", expert_data(email=f"zh{n}@example.cn"))
        for n in range(SUBMISSIONS)
    ]
    start = threading.Barrier(SUBMISSIONS)
    statuses, errors = [None] * SUBMISSIONS, []

    def submit(index):
        path, data = forms[index]
        try:
            start.wait()
            statuses[index] = Client().post(path, data).status_code
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(repr(error))
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    assert statuses == [302] * SUBMISSIONS
    emails = [data["email"] for _path, data in forms]
    references = list(
        SupportRequest.objects.filter(email__in=emails).values_list(
            "reference", flat=True
        )
    )
    assert len(references) == SUBMISSIONS
    assert len(set(references)) == SUBMISSIONS
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in references)
    assert numbers == list(range(numbers[0], numbers[0] + SUBMISSIONS))  # no gap
