"""The admin's app list (its sidebar on every page, and the index), written
in Python.

Django renders admin/app_list.html on every admin page: with the portal's
fifty-odd models it was the largest single template of a change page (10-15
ms of 35-70). templates/admin/app_list.html calls this tag instead, which
writes the same markup; a test holds it equal to Django's template."""

from urllib.parse import quote

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

# Django's own strings, translated by Django's catalogs: named so that
# makemessages does not copy them into the portal's.
from django.utils.translation import gettext as djangos_gettext

register = template.Library()

EMPTY_CELL = mark_safe("<td></td>")
CURRENT_PAGE = mark_safe(' aria-current="page"')


@register.simple_tag(takes_context=True)
def admin_app_list(context, app_list, show_changelinks=False):
    """admin/app_list.html's markup for `app_list` (the admin's available_apps)."""
    if not app_list:
        return format_html(
            "<p>{}</p>",
            djangos_gettext("You don’t have permission to view or edit anything."),
        )
    path = quote(context["request"].path)  # the template's request.path|urlencode
    words = {
        "model_name": djangos_gettext("Model name"),
        "add_link": djangos_gettext("Add link"),
        "change_link": djangos_gettext("Change or view list link"),
        "add": djangos_gettext("Add"),
        "view": djangos_gettext("View"),
        "change": djangos_gettext("Change"),
    }
    return format_html_join(
        "", "{}", ((_app(app, path, show_changelinks, words),) for app in app_list)
    )


def _app(app, path, show_changelinks, words):
    rows = format_html_join(
        "",
        "{}",
        (
            (_model_row(app, model, path, show_changelinks, words),)
            for model in app["models"]
        ),
    )
    title = djangos_gettext("Models in the %(name)s application") % {
        "name": app["name"]
    }
    return format_html(
        '<div class="app-{label} module{current}"><table>'
        '<caption><a href="{url}" class="section" title="{title}">{name}</a></caption>'
        '<thead class="visually-hidden"><tr>'
        '<th scope="col">{model_name}</th><th scope="col">{add_link}</th>'
        '<th scope="col">{change_link}</th></tr></thead>{rows}</table></div>',
        label=app["app_label"],
        current=" current-app" if app["app_url"] in path else "",
        url=app["app_url"],
        title=title,
        name=app["name"],
        model_name=words["model_name"],
        add_link=words["add_link"],
        change_link=words["change_link"],
        rows=rows,
    )


def _model_row(app, model, path, show_changelinks, words):
    model_name = model["object_name"].lower()
    row_id = f"{app['app_label']}-{model_name}"
    admin_url = model.get("admin_url")
    current = bool(admin_url) and admin_url in path
    if admin_url:
        name = format_html(
            '<a href="{}"{}>{}</a>',
            admin_url,
            CURRENT_PAGE if current else "",
            model["name"],
        )
    else:
        name = format_html("{}", model["name"])
    cells = [
        _link_cell(model.get("add_url"), "addlink", words["add"], row_id)
        if model.get("add_url")
        else EMPTY_CELL
    ]
    if show_changelinks:
        if not admin_url:
            cells.append(EMPTY_CELL)
        elif model.get("view_only"):
            cells.append(_link_cell(admin_url, "viewlink", words["view"], row_id))
        else:
            cells.append(_link_cell(admin_url, "changelink", words["change"], row_id))
    return format_html(
        '<tr class="model-{}{}"><th scope="row" id="{}">{}</th>{}</tr>',
        model_name,
        " current-model" if current else "",
        row_id,
        name,
        format_html_join("", "{}", ((cell,) for cell in cells)),
    )


def _link_cell(url, css_class, text, row_id):
    return format_html(
        '<td><a href="{}" class="{}" aria-describedby="{}">{}</a></td>',
        url,
        css_class,
        row_id,
        text,
    )
