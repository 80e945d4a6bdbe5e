"""The admin's fieldsets (admin/includes/fieldset.html), written in Python.

A change page renders its fields through this template, a line and a field
at a time: a seminar's page spent more time in it than in any other
template. templates/admin/includes/fieldset.html calls this tag instead,
which writes the same markup; a test holds it equal to Django's template on
every change page of the portal, with and without errors."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _lookup(obj, key):
    """A template's `obj.key`: a read-only field's `field` is a dict."""
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


@register.simple_tag(takes_context=True)
def admin_fieldset(context) -> SafeString:
    fieldset = context["fieldset"]
    heading_id = "{}-{}-{}-heading".format(
        context.get("prefix", ""),
        context.get("id_prefix", ""),
        context.get("id_suffix", ""),
    )
    parts = [
        format_html(
            '<fieldset class="module aligned {}"{}>',
            fieldset.classes,
            format_html(' aria-labelledby="{}"', heading_id) if fieldset.name else "",
        )
    ]
    collapsible = fieldset.name and fieldset.is_collapsible
    if fieldset.name:
        level = context.get("heading_level") or 2
        parts.append(
            format_html(
                '{}<h{} id="{}" class="fieldset-heading">{}</h{}>{}',
                mark_safe("<details><summary>") if fieldset.is_collapsible else "",
                level,
                heading_id,
                fieldset.name,
                level,
                mark_safe("</summary>") if fieldset.is_collapsible else "",
            )
        )
    if fieldset.description:
        parts.append(
            format_html(
                '<div class="description">{}</div>', mark_safe(fieldset.description)
            )
        )
    parts.extend(_line(line) for line in fieldset)
    if collapsible:
        parts.append(mark_safe("</details>"))
    parts.append(mark_safe("</fieldset>"))
    return mark_safe("".join(parts))


def _line(line) -> str:
    single = len(line.fields) == 1
    fields = list(line)
    errors = line.errors()
    classes = "form-row"
    if single and errors:
        classes += " errors"
    if not line.has_visible_field:
        classes += " hidden"
    for field in fields:
        name = _lookup(field.field, "name")
        if name:
            classes += f" field-{name}"
    opening = (
        conditional_escape(errors)
        if single
        else '<div class="flex-container form-multiline">'
    )
    body = "".join(_field(field, single) for field in fields)
    return format_html(
        '<div class="{}">{}{}{}</div>',
        classes,
        mark_safe(opening),
        mark_safe(body),
        "" if single else mark_safe("</div>"),
    )


def _field(field, single: bool) -> str:
    bound = field.field
    name = _lookup(bound, "name")
    field_errors = "" if field.is_readonly else field.errors()
    classes = "flex-container"
    if not single:
        classes += " fieldBox"
        if name:
            classes += f" field-{name}"
        if field_errors:
            classes += " errors"
        if _lookup(bound, "is_hidden"):
            classes += " hidden"
    if field.is_checkbox:
        classes += " checkbox-row"
    if field.is_checkbox:
        content = format_html("{}{}", str(bound), field.label_tag())
    elif field.is_readonly:
        content = format_html(
            '{}<div class="readonly">{}</div>', field.label_tag(), field.contents()
        )
    else:
        content = format_html("{}{}", field.label_tag(), str(bound))
    help_text = _lookup(bound, "help_text")
    help_html = ""
    if help_text:
        id_for_label = _lookup(bound, "id_for_label")
        help_html = format_html(
            '<div class="help{}"{}><div>{}</div></div>',
            " hidden" if _lookup(bound, "is_hidden") else "",
            format_html(' id="{}_helptext"', id_for_label) if id_for_label else "",
            mark_safe(help_text),
        )
    return format_html(
        '<div>{}<div class="{}">{}</div>{}</div>',
        "" if single or field.is_readonly else conditional_escape(field_errors),
        classes,
        content,
        help_html,
    )
