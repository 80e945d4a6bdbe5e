"""Working days of the Beijing office, in both countries' calendars.

A request is due a number of working days after it arrives: days on which
both China and Japan work, so that neither side's holiday counts against the
desk. China's calendar is the State Council's (chinesecalendar: statutory
holidays and the make-up working days, 调休, that move a weekend day into the
working week); Japan's is the public holidays (jpholiday) and weekends.

The office itself opens on China's working days (a 调休 Saturday included):
the desk's morning reminder goes out on those.

chinesecalendar knows the years the State Council has published; for a later
year it raises, and a day then counts as a working day when it is a weekday
(a warning is logged once per year: upgrade the package).
"""

import datetime
import functools
import logging

import chinese_calendar
import jpholiday

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=64)
def _warn_unknown_year(year: int) -> None:
    logger.warning(
        "chinesecalendar knows no holidays of %s: counting weekdays. "
        "Upgrade the chinesecalendar package.",
        year,
    )


# Each day is looked up once per process: the queue counts the age of 25
# requests, some of them years old, on every page.
@functools.lru_cache(maxsize=8192)
def is_china_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_unknown_year(day.year)
        return day.weekday() < 5


def is_japan_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not jpholiday.is_holiday(day)


@functools.lru_cache(maxsize=8192)
def is_working_day(day: datetime.date) -> bool:
    """A day on which both countries work."""
    return is_china_working_day(day) and is_japan_working_day(day)


def is_office_day(day: datetime.date) -> bool:
    """A day the Beijing office opens (China's calendar)."""
    return is_china_working_day(day)


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `day` (before it when negative);
    `day` itself never counts."""
    step = datetime.timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


# The queue asks for the age of the same requests on every page, until today
# ends: a request years old is a walk of a thousand days.
@functools.lru_cache(maxsize=4096)
def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is
    not after `start`): the age of a request that arrived on `start`."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
