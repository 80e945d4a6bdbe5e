"""Working days of both countries: China's statutory holidays with their
make-up working days (调休), Japan's public holidays."""

import datetime

import pytest

from support_requests import working_days
from support_requests.models import SupportRequest
from support_requests.services import due_date

D = datetime.date


@pytest.mark.parametrize(
    ("day", "china", "japan"),
    [
        (D(2026, 9, 30), True, True),  # an ordinary Wednesday
        (D(2026, 10, 5), False, True),  # National Day holidays, a Monday
        (D(2026, 9, 21), True, False),  # 敬老の日
        (D(2026, 9, 22), True, False),  # 国民の休日, between two holidays
        (D(2026, 9, 20), True, False),  # a Sunday China works (调休)
        (D(2026, 10, 10), True, False),  # a Saturday China works (调休)
        (D(2026, 10, 11), False, False),  # an ordinary Sunday
    ],
)
def test_each_countrys_calendar(day, china, japan):
    assert working_days.is_china_working_day(day) is china
    assert working_days.is_japan_working_day(day) is japan
    assert working_days.is_working_day(day) is (china and japan)
    # The office opens on China's working days, 调休 weekends included.
    assert working_days.is_office_day(day) is china


def test_counting_skips_either_countrys_holidays():
    # After 30 September: China's National Day week, then Thursday 8 October.
    assert working_days.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # Friday 18 September: the 调休 Sunday and Japan's Silver Week do not count.
    assert working_days.add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 24)
    assert working_days.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert working_days.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert working_days.working_days_between(D(2026, 10, 9), D(2026, 9, 30)) == 0


def test_a_year_the_calendar_does_not_know_counts_weekdays(caplog):
    # chinesecalendar 1.11 knows 2004-2026.
    assert working_days.is_china_working_day(D(2031, 1, 6))  # a Monday
    assert not working_days.is_china_working_day(D(2031, 1, 5))  # a Sunday


def test_due_date_is_working_days_after_or_a_lead_time_before_the_stay(settings):
    settings.SUPPORT_DUE_WORKING_DAYS = 3
    settings.SUPPORT_LEAD_WORKING_DAYS = 10
    request = SupportRequest()
    # National Day week, then 体育の日 (Monday 12 October) skipped.
    assert due_date(request=request, since=D(2026, 9, 30)) == D(2026, 10, 13)
    assert due_date(request=request, since=D(2026, 12, 1)) == D(2026, 12, 4)
    # A stay soon: due ten working days before it, but never before arrival.
    request.stay_start = D(2026, 12, 16)
    assert due_date(request=request, since=D(2026, 12, 1)) == D(2026, 12, 2)
    request.stay_start = D(2026, 12, 2)
    assert due_date(request=request, since=D(2026, 12, 1)) == D(2026, 12, 1)
