"""The portal's form renderer: Django's templates (TemplatesSetting, so that
templates/django/forms/ can replace one), with the few that a form repeats
for every field written in Python.

An admin change page renders forty-odd inputs and labels, each a template
render of its own: a fifth of a seminar's change page. The functions here
write the same markup; tests hold each equal to its template."""

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime


def attributes(attrs: dict) -> SafeString:
    """django/forms/attrs.html: ` name="value"` for each attribute, ` name`
    for True, nothing for False."""
    return mark_safe(
        "".join(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


def input_html(context: dict) -> SafeString:
    """django/forms/widgets/input.html (templates/ has its own, with the
    attributes inline: the same markup)."""
    widget = context["widget"]
    value = widget["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        "" if value is None else format_html(' value="{}"', value),
        attributes(widget["attrs"]),
    )


def textarea_html(context: dict) -> SafeString:
    """django/forms/widgets/textarea.html."""
    widget = context["widget"]
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        attributes(widget["attrs"]),
        # As {{ widget.value }} shows a value (a widget gives a string).
        localize(template_localtime(widget["value"])) if widget["value"] else "",
    )


def label_html(context: dict) -> SafeString:
    """django/forms/label.html."""
    if not context["use_tag"]:
        return conditional_escape(context["label"])
    return format_html(
        "<{0}{1}>{2}</{0}>",
        context["tag"],
        attributes(context["attrs"]),
        context["label"],
    )


# Django's widget templates that only include input.html.
INPUT_WIDGETS = [
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
]

WRITTEN_IN_PYTHON = {
    "django/forms/widgets/input.html": input_html,
    **{f"django/forms/widgets/{name}.html": input_html for name in INPUT_WIDGETS},
    "django/forms/widgets/textarea.html": textarea_html,
    "django/forms/label.html": label_html,
}


class PortalFormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        write = WRITTEN_IN_PYTHON.get(template_name)
        if write is None:
            return super().render(template_name, context, request)
        return write(context)
