"""Template helpers of the public site: language switch, alternates, fallbacks."""

from functools import cache

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from modeltranslation.utils import get_language as portal_language

from clair_portal.foundation import typography
from clair_portal.foundation.compiled_sql import (
    Compiled,
    compile_query,
    fetch_instances,
)
from clair_portal.foundation.languages import columns_by_preference
from clair_portal.foundation.links import absolute_url
from clair_portal.foundation.models import OfficeContact
from clair_portal.foundation.staff_notes import refuse_staff_note

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code):
    """This page in another language, with its query (/ja/seminars/?province=3
    -> /zh-hans/seminars/?province=3). An error page (Django's error views
    give it `exception`) and a path no URL matches lead to that language's
    home instead: the same missing page in another language helps nobody."""
    request = context["request"]
    if _is_error_page(context) or not _resolves(request.path_info):
        with translation.override(language_code):
            return reverse("home")
    url = translate_url(request.path, language_code)
    if request.GET:
        url += "?" + request.GET.urlencode()
    return url


# The portal's error pages (templates/): Django's error views give 404 and 403
# an `exception`, 400 and 500 nothing that says what they are.
ERROR_TEMPLATES = frozenset(
    {"400.html", "403.html", "403_csrf.html", "404.html", "500.html"}
)


def _is_error_page(context) -> bool:
    template = getattr(context, "template", None)
    return "exception" in context or getattr(template, "name", None) in ERROR_TEMPLATES


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """(hreflang, absolute URL) of this page in every language, and x-default:
    the unprefixed path, which redirects by the visitor's Accept-Language."""
    request = context["request"]
    alternates = [
        (code, absolute_url(translate_url(request.path, code)))
        for code, _name in settings.LANGUAGES
    ]
    prefix = f"/{translation.get_language()}/"
    if request.path.startswith(prefix):
        neutral = "/" + request.path.removeprefix(prefix)
        alternates.append(("x-default", absolute_url(neutral)))
    return alternates


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's absolute URL on the portal's public address."""
    return absolute_url(context["request"].path)


@register.simple_tag
def localized(instance, field_name, paragraphs=False):
    """A translated field in the page's language; when that language has no value
    yet, the other language's, inside an element carrying its lang attribute.
    With paragraphs=True the text is set as paragraphs (for report texts).
    Never a note for staff (clair_portal.foundation.staff_notes)."""
    refuse_staff_note(field_name)
    current = portal_language()
    for language_code, column in columns_by_preference(field_name, current):
        value = getattr(instance, column)
        if not value:
            continue
        # linebreaks() escapes the text and returns a plain str: marked
        # safe here, or format_html below escaped its <p> a second time.
        html = (
            mark_safe(linebreaks(value, autoescape=True))
            if paragraphs
            else conditional_escape(value)
        )
        if language_code == current:
            return mark_safe(html)
        element = "div" if paragraphs else "span"
        return format_html('<{0} lang="{1}">{2}</{0}>', element, language_code, html)
    return ""


# Tags rather than includes for what a table repeats in every row: an include
# costs a template render per cell.


@register.simple_tag
def japanese_place(place):
    """A Japanese local government with its prefecture (岐阜県高山市), a
    designated city alone, each name in the page's language."""
    name = localized(place, "name")
    if place.prefecture_id and place.kind != "designated_city":
        return mark_safe(localized(place.prefecture, "name") + name)
    return name


@register.simple_tag
def chinese_place(place):
    """A Chinese city with its province (四川省綿陽市), a municipality or a
    province alone, each name in the page's language."""
    name = localized(place, "name")
    if place.province_id and place.province.kind == "province":
        return mark_safe(localized(place.province, "name") + name)
    return name


@cache
def _current_contacts_sql() -> Compiled:
    # Every page's footer runs this query: through the ORM it took 1.0 ms,
    # five times the database's time (a sixth of a short page); 0.3 ms so.
    return compile_query(OfficeContact.objects.current())


@register.simple_tag
def office_contacts():
    """The Beijing office and the Tokyo head office as the newest edition
    printed them, for the footer."""
    return fetch_instances(_current_contacts_sql(), OfficeContact)


@register.simple_tag
def translated_from(edition):
    """When the page is not in the language the edition was printed in, a
    sentence saying that its text is a translation; else ''."""
    if edition is None or edition.source_language == translation.get_language():
        return ""
    if edition.source_language == "ja":
        message = gettext(
            "Translated from the Japanese original of the %(year)s edition."
        )
    else:
        message = gettext(
            "Translated from the Chinese original of the %(year)s edition."
        )
    return message % {"year": edition.year}


# Typography (clair_portal/foundation/typography.py): the language's marks.

register.filter("parenthesized", typography.parenthesized)
register.filter("punctuated", typography.with_language_punctuation)
register.filter("figure", typography.figure)
register.filter("beijing_time", typography.beijing_time)
register.filter("nowrap", typography.nowrap)
register.filter("calendar_date", typography.calendar_date)
register.filter("fiscal_year", typography.fiscal_year)
register.simple_tag(typography.date_range, name="date_range")
register.filter("written_date", typography.written_date)
register.simple_tag(typography.written_period, name="written_period")
register.simple_tag(typography.tel_link, name="tel")
register.simple_tag(typography.phrase, name="phrase")
register.simple_tag(typography.list_separator, name="list_separator")
register.simple_tag(typography.labelled, name="labelled")


@register.filter
def with_image(photos):
    """The photos a page draws: those whose image is uploaded (as
    Photo.objects.shown(), for lists already read)."""
    return [photo for photo in photos or () if photo.image]
