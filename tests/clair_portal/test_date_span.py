"""Dates and years outside the portal's span (1970 to 2100) are refused in the
admin with a message in the admin's language, and nothing is saved. Before,
year 1 was a 500 (the fiscal year's constraint; PostgreSQL's timestamps for a
news item's moment) and 9999 was saved, then broke the public events feed
and the admin's date drill-down of news."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from exchange.models import CookingEvent, TravelExpo
from jet.models import JetFigure
from seminars.models import Seminar
from tests import factories
from tests.admin_forms import form_data

SAID = {
    "date": {
        "ja": "1970年から2100年までの日付を入力してください。",
        "zh-hans": "请输入 1970 年至 2100 年之间的日期。",
    },
    "year": {
        "ja": "1970年から2100年までの年を入力してください。",
        "zh-hans": "请输入 1970 年至 2100 年之间的年份。",
    },
}


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def first(model):
    return model.objects.order_by("pk").first()


def seminar_with_a_programme():
    return Seminar.objects.filter(programme__isnull=False).order_by("pk").first()


def news_item():
    return factories.NewsItemFactory()


def publication():
    return factories.PublicationFactory()


CASES = [
    # (record, field, value, message)
    (lambda: first(CookingEvent), "start_date", "0001-01-01", "date"),
    (lambda: first(TravelExpo), "start_date", "0001-01-01", "date"),
    (lambda: first(TravelExpo), "end_date", "9999-12-31", "date"),
    (publication, "date", "0001-01-01", "date"),
    (news_item, "published_at", "0001-01-01 00:00", "date"),
    (news_item, "published_at", "9999-12-31 23:59", "date"),
    (seminar_with_a_programme, "programme-0-date", "2101-01-01", "date"),
    (lambda: first(JetFigure), "fiscal_year", "30000", "year"),
    (lambda: first(JetFigure), "fiscal_year", "1969", "year"),
]


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
@pytest.mark.parametrize(("make", "field", "value", "kind"), CASES)
def test_a_date_out_of_the_span_is_refused(
    admin_client, language, make, field, value, kind
):
    record = make()
    url = change_url(record)
    admin_client.cookies["django_language"] = language
    with translation.override(language):
        page = admin_client.get(url)
        before = type(record).objects.filter(pk=record.pk).values().get()
        data = form_data(page, **{field: value})
        if field == "published_at":  # a date and a time, side by side
            data["published_at_0"], data["published_at_1"] = value.split()
        response = admin_client.post(url, data)
        after = type(record).objects.filter(pk=record.pk).values().get()

    assert response.status_code == 200  # the form again, not a 500 or a redirect
    assert SAID[kind][language] in response.content.decode()
    assert after == before


@pytest.mark.parametrize(
    "value", ["1970-01-01", "2100-12-31"], ids=["first day", "last day"]
)
def test_the_span_keeps_its_first_and_last_day(admin_client, value):
    expo = first(TravelExpo)
    url = change_url(expo)
    page = admin_client.get(url)
    data = form_data(page, start_date=value, end_date=value, fiscal_year="")
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    expo.refresh_from_db()
    assert str(expo.start_date) == value


def test_the_events_feed_reads_an_event_on_the_spans_last_day(client, db):
    expo = first(TravelExpo)
    TravelExpo.objects.filter(pk=expo.pk).update(
        start_date="2100-12-31", end_date="2100-12-31", fiscal_year=2100
    )
    response = client.get("/ja/exchange/events.ics")
    assert response.status_code == 200
    assert b"DTEND;VALUE=DATE:21010101" in response.content


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "ja",
            "セミナーの開催期間（2018年7月11日～2018年7月13日）内の日付を入力してください。",
        ),
        ("zh-hans", "请输入研讨会举办期间（2018年7月11日至2018年7月13日）内的日期。"),
    ],
)
def test_a_programme_day_falls_within_the_seminars_dates(admin_client, language, said):
    seminar = seminar_with_a_programme()
    assert (seminar.start_date, seminar.end_date) == (
        datetime.date(2018, 7, 11),
        datetime.date(2018, 7, 13),
    )
    url = change_url(seminar)
    admin_client.cookies["django_language"] = language
    with translation.override(language):
        page = admin_client.get(url)
        response = admin_client.post(
            url, form_data(page, **{"programme-0-date": "2018-07-14"})
        )

    assert response.status_code == 200
    assert said in response.content.decode()
    assert not seminar.programme.filter(date="2018-07-14").exists()
