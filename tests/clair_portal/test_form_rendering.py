"""Inputs, text areas and labels written in Python: the same markup as the
templates they replace, for awkward values."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from clair_portal.foundation.form_rendering import (
    INPUT_WIDGETS,
    WRITTEN_IN_PYTHON,
    PortalFormRenderer,
)

DJANGO_FORMS = "django/forms/widgets/"

AWKWARD_VALUES = [
    None,
    "",
    "plain",
    "<script>\"&'",
    mark_safe("<b>safe</b>"),
    "東京都　北京市\r\n二行目",
    "=1+2",
    0,
    12345,
    Decimal("1.50"),
    datetime.date(2026, 12, 4),
    datetime.datetime(2026, 12, 4, 1, 2, tzinfo=datetime.UTC),
    ("a", 1),
    gettext_lazy("Japanese"),
]
AWKWARD_ATTRS = [
    {},
    {"class": "vTextField", "maxlength": 300, "required": True, "disabled": False},
    {"placeholder": "\"<&>'", "lang": "zh-hans", "aria-describedby": "x_helptext"},
    {"data-x": mark_safe("<i>"), "autofocus": True, "size": None},
]

templates = TemplatesSetting()
ours = PortalFormRenderer()


def both(template_name, context):
    return str(templates.render(template_name, context)), str(
        ours.render(template_name, context)
    )


@pytest.mark.parametrize("template_name", sorted(WRITTEN_IN_PYTHON))
def test_each_template_written_in_python_is_one_of_djangos(template_name):
    """A name Django renders (so nothing else of the project's is bypassed)."""
    assert templates.get_template(template_name) is not None


@pytest.mark.parametrize("name", INPUT_WIDGETS)
def test_the_input_widgets_only_include_the_input(name):
    """What the table assumes of Django's templates: each is an input."""
    source = templates.get_template(f"{DJANGO_FORMS}{name}.html").template.source
    assert source.strip() == '{% include "django/forms/widgets/input.html" %}'


@pytest.mark.parametrize("value", AWKWARD_VALUES, ids=repr)
@pytest.mark.parametrize("attrs", AWKWARD_ATTRS, ids=repr)
@pytest.mark.parametrize("name", ["input", *INPUT_WIDGETS])
def test_an_input_is_written_as_its_template_writes_it(name, attrs, value):
    context = {
        "widget": {
            "name": 'title_ja"<',
            "type": name,
            "value": value,
            "attrs": attrs,
            "required": True,
            "is_hidden": False,
            "template_name": f"{DJANGO_FORMS}{name}.html",
        }
    }
    template_html, python_html = both(f"{DJANGO_FORMS}{name}.html", context)
    assert python_html == template_html


@pytest.mark.parametrize("value", AWKWARD_VALUES, ids=repr)
@pytest.mark.parametrize("attrs", AWKWARD_ATTRS, ids=repr)
def test_a_text_area_is_written_as_its_template_writes_it(attrs, value):
    context = {"widget": {"name": "body", "value": value, "attrs": attrs}}
    template_html, python_html = both(f"{DJANGO_FORMS}textarea.html", context)
    assert python_html == template_html


@pytest.mark.parametrize("use_tag", [True, False])
@pytest.mark.parametrize("tag", ["label", "legend"])
@pytest.mark.parametrize(
    "label", ["テーマ（日本語）", '<b>"&', mark_safe("<span lang='ja'>題</span>：")]
)
@pytest.mark.parametrize("attrs", AWKWARD_ATTRS, ids=repr)
def test_a_label_is_written_as_its_template_writes_it(use_tag, tag, label, attrs):
    context = {"use_tag": use_tag, "tag": tag, "label": label, "attrs": attrs}
    template_html, python_html = both("django/forms/label.html", context)
    assert python_html == template_html


class EveryWidget(forms.Form):
    text = forms.CharField(widget=admin_widgets.AdminTextInputWidget, max_length=9)
    body = forms.CharField(widget=admin_widgets.AdminTextareaWidget, required=False)
    number = forms.IntegerField(widget=admin_widgets.AdminIntegerFieldWidget)
    email = forms.EmailField()
    url = forms.URLField(
        widget=admin_widgets.AdminURLFieldWidget, assume_scheme="https"
    )
    day = forms.DateField(widget=admin_widgets.AdminDateWidget)
    agreed = forms.BooleanField()
    hidden = forms.CharField(widget=forms.HiddenInput)
    upload = forms.FileField()
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "<B>")])


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": '<x>"', "number": "１２", "email": "a@", "day": "2026-13-01"},
        {"text": "ok", "body": "行\r\n<p>", "number": "3", "agreed": "on"},
    ],
)
def test_a_whole_form_is_written_as_the_templates_write_it(data):
    template_form = EveryWidget(data=data, renderer=templates)
    our_form = EveryWidget(data=data, renderer=ours)
    assert str(our_form) == str(template_form)
    for field in our_form:
        assert str(field.label_tag()) == str(template_form[field.name].label_tag())
