"""The iCalendar feed of upcoming events: seminars, travel expos, cooking
events, livestream promotions and executive seminars, in the page's language."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from clair_portal.foundation.languages import LIST_SEPARATOR
from clair_portal.foundation.links import absolute_url
from clair_portal.foundation.models import JapaneseLocalGovernment
from exchange.models import (
    CookingEvent,
    ExecutiveSeminar,
    LivestreamPromotion,
    TravelExpo,
)
from seminars.models import Seminar

UID_DOMAIN = "clair.org.cn"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    start: datetime.date
    end: datetime.date | None  # the last day, inclusive
    location: str = ""
    description: str = ""
    path: str = ""


def _uid(record) -> str:
    """Stable per record: seminars.seminar-17@clair.org.cn."""
    return f"{record._meta.label_lower}-{record.pk}@{UID_DOMAIN}"


def _names(places) -> str:
    return LIST_SEPARATOR.join(place.full_name() for place in places)


def _japanese_places():
    return JapaneseLocalGovernment.objects.select_related("prefecture")


def upcoming_events(today: datetime.date) -> list[CalendarEvent]:
    """Every event starting on `today` or later, in the active language."""
    exchange_page = reverse("exchange:index")
    events = []
    for seminar in Seminar.objects.filter(start_date__gte=today).select_related(
        "host_city__province"
    ):
        events.append(
            CalendarEvent(
                uid=_uid(seminar),
                summary=_("Japan-China Regional Exchange Seminar No. %(edition)s")
                % {"edition": seminar.edition},
                start=seminar.start_date,
                end=seminar.end_date,
                location=seminar.host_city.full_name(),
                description=seminar.theme,
                path=seminar.get_absolute_url(),
            )
        )
    for expo in TravelExpo.objects.filter(start_date__gte=today).select_related(
        "city__province"
    ):
        events.append(
            CalendarEvent(
                uid=_uid(expo),
                summary=expo.name,
                start=expo.start_date,
                end=expo.end_date,
                location=f"{expo.venue}, {expo.city.full_name()}",
                path=f"{exchange_page}#travel-expos",
            )
        )
    for event in (
        CookingEvent.objects.filter(start_date__gte=today)
        .select_related("city__province")
        .prefetch_related(Prefetch("partners", queryset=_japanese_places()), "menu")
    ):
        events.append(
            CalendarEvent(
                uid=_uid(event),
                summary=_("Cooking experience event: %(partners)s")
                % {"partners": _names(event.partners.all())},
                start=event.start_date,
                end=event.end_date,
                location=event.city.full_name(),
                description=LIST_SEPARATOR.join(item.name for item in event.menu.all()),
                path=f"{exchange_page}#cooking",
            )
        )
    for livestream in LivestreamPromotion.objects.filter(
        start_date__gte=today
    ).prefetch_related(Prefetch("governments", queryset=_japanese_places())):
        events.append(
            CalendarEvent(
                uid=_uid(livestream),
                summary=_("Livestream promotion: %(governments)s")
                % {"governments": _names(livestream.governments.all())},
                start=livestream.start_date,
                end=livestream.end_date,
                location=livestream.platform,
                path=f"{exchange_page}#livestreams",
            )
        )
    for seminar in ExecutiveSeminar.objects.filter(
        start_date__gte=today
    ).prefetch_related(Prefetch("visited", queryset=_japanese_places())):
        events.append(
            CalendarEvent(
                uid=_uid(seminar),
                summary=_("Executive exchange seminar: %(theme)s")
                % {"theme": seminar.theme},
                start=seminar.start_date,
                end=seminar.end_date,
                location=_names(seminar.visited.all()),
                description=seminar.summary,
                path=f"{exchange_page}#executive-seminar",
            )
        )
    return sorted(events, key=lambda event: (event.start, event.uid))


def events_ics(request):
    """The upcoming events as an iCalendar feed (all-day events)."""
    stamp = timezone.now()
    calendar = Calendar.new(
        prodid="-//CLAIR Beijing Office//Events//EN",
        name=_("CLAIR Beijing Office: upcoming events"),
        uid=f"events-{translation.get_language()}@{UID_DOMAIN}",
    )
    for item in upcoming_events(timezone.localdate()):
        event = Event.new(
            uid=item.uid,
            summary=item.summary,
            start=item.start,
            # DTEND of an all-day event is exclusive: the day after the last.
            end=(item.end or item.start) + datetime.timedelta(days=1),
            stamp=stamp,
            location=item.location or None,
            description=item.description or None,
            url=absolute_url(item.path) if item.path else None,
        )
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
