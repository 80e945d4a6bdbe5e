"""Template helpers of the public site: language switch, alternates, fallbacks."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from modeltranslation.utils import build_localized_fieldname

from clair_portal.foundation.links import absolute_url
from clair_portal.foundation.models import OfficeContact

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code):
    """This page's path in another language (/ja/seminars/17/ -> /zh-hans/seminars/17/)."""
    request = context["request"]
    return translate_url(request.path, language_code)


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
    With paragraphs=True the text is set as paragraphs (for report texts)."""
    current = translation.get_language()
    by_preference = sorted(settings.LANGUAGES, key=lambda lang: lang[0] != current)
    for language_code, _name in by_preference:
        value = getattr(instance, build_localized_fieldname(field_name, language_code))
        if not value:
            continue
        html = (
            linebreaks(value, autoescape=True)
            if paragraphs
            else conditional_escape(value)
        )
        if language_code == current:
            return mark_safe(html)
        element = "div" if paragraphs else "span"
        return format_html('<{0} lang="{1}">{2}</{0}>', element, language_code, html)
    return ""


@register.simple_tag
def office_contacts():
    """The Beijing office and the Tokyo head office, for the footer."""
    return list(OfficeContact.objects.order_by("site"))
