"""Middleware of the portal's own."""

from django.template.response import TemplateResponse

CONTROL_CHARACTERS = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r"}


def _has_control_character(text: str) -> bool:
    return not CONTROL_CHARACTERS.isdisjoint(text)


class RejectControlCharactersMiddleware:
    """Answer 400, with the portal's page in the visitor's language, when the
    path or a query parameter holds a NUL or another control character. No
    page of the portal uses one, PostgreSQL refuses NUL in any text, and
    without this a "%00" in a filter or search reached the database as a
    500 error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control_character(request.path) or any(
            _has_control_character(key) or _has_control_character(value)
            for key, values in request.GET.lists()
            for value in values
        ):
            response = TemplateResponse(request, "400.html", status=400)
            return response.render()
        return self.get_response(request)
