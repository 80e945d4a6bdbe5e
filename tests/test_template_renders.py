"""What a page's table repeats in every row is rendered by a tag, not by an
included template: an include is a template render per cell, and the exchange
page at scale 100 rendered more than a thousand of them per request."""

import datetime
from collections import Counter
from unittest import mock

import pytest
from django import forms
from django.forms.formsets import BaseFormSet
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.forms.utils import ErrorList
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from clair_portal.features.brochure.selectors import _cell_html
from clair_portal.foundation.models import JapaneseLocalGovernment
from clair_portal.foundation.templatetags.portal import (
    chinese_place,
    japanese_place,
)
from clair_portal.foundation.typography import date_range
from tests.factories import (
    ChineseCityFactory,
    CookingEventFactory,
    CookingMenuItemFactory,
    ExpertDispatchFactory,
    JapaneseCityFactory,
    LgotpPlacementFactory,
    SeminarFactory,
    SupportExampleFactory,
)

pytestmark = pytest.mark.django_db


def templates_rendered(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return len(response.templates)


def add_exchange_rows(count):
    for _ in range(count):
        event = CookingEventFactory()
        event.partners.add(JapaneseCityFactory(), JapaneseCityFactory())
        CookingMenuItemFactory(event=event)
        LgotpPlacementFactory(host=JapaneseCityFactory())


def add_expert_rows(count):
    ExpertDispatchFactory.create_batch(count)


def add_support_rows(count):
    for _ in range(count):
        SupportExampleFactory().governments.add(JapaneseCityFactory())


@pytest.mark.parametrize(
    ("url", "add_rows"),
    [
        ("/ja/exchange/", add_exchange_rows),
        ("/ja/experts/", add_expert_rows),
        ("/ja/support/", add_support_rows),
    ],
)
def test_templates_rendered_do_not_grow_with_rows(client, url, add_rows):
    add_rows(1)
    with_one = templates_rendered(client, url)
    add_rows(5)
    assert templates_rendered(client, url) == with_one


def test_japanese_place_names_its_prefecture_unless_a_designated_city():
    city = JapaneseCityFactory(name_ja="高山市", prefecture__name_ja="岐阜県")
    designated = JapaneseCityFactory(
        name_ja="横浜市",
        prefecture__name_ja="神奈川県",
        kind=JapaneseLocalGovernment.Kind.DESIGNATED_CITY,
    )
    with translation.override("ja"):
        assert japanese_place(city) == "岐阜県高山市"
        assert japanese_place(designated) == "横浜市"


def test_place_names_fall_back_to_the_other_language_marked_with_it():
    city = ChineseCityFactory(
        name_ja="綿陽市", name_zh_hans="", province__name_ja="四川省"
    )
    with translation.override("zh-hans"):
        html = chinese_place(city)
    assert html == f'{city.province.name_zh_hans}<span lang="ja">綿陽市</span>'


def test_place_names_are_escaped_once():
    city = ChineseCityFactory(name_ja="A&B市", province__name_ja="<省>")
    with translation.override("ja"):
        assert chinese_place(city) == "&lt;省&gt;A&amp;B市"


def test_date_range_leaves_out_an_end_on_the_start_day():
    day = datetime.date(2040, 9, 1)
    with translation.override("ja"):
        assert strip_tags(date_range(day, day)) == "2040年9月1日"
        assert strip_tags(date_range(day)) == "2040年9月1日"
        assert strip_tags(date_range(day, day + datetime.timedelta(days=1))) == (
            "2040年9月1日～2040年9月2日"
        )
        assert date_range(day) == (
            '<time datetime="2040-09-01" class="nowrap">2040年9月1日</time>'
        )
        assert date_range(None, day) == ""
    with translation.override("zh-hans"):
        assert strip_tags(date_range(day, day + datetime.timedelta(days=1))) == (
            "2040年9月1日至2040年9月2日"
        )


# Select options ------------------------------------------------------------------


def test_the_seminars_filter_renders_its_options_without_a_template_each(client):
    SeminarFactory()
    with_one = templates_rendered(client, "/ja/seminars/")
    SeminarFactory.create_batch(6)  # six more provinces in the filter
    html = client.get("/ja/seminars/").content.decode()
    assert html.count("<option") >= 8
    assert templates_rendered(client, "/ja/seminars/") == with_one


SELECT_CHOICES = [
    ("", "—"),
    ("Places", [("1", "岐阜県"), ("2", 'A&B "市"')]),
    ("3", "北京市"),
]


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (
            forms.Select(
                choices=SELECT_CHOICES, attrs={"id": "id_place", "lang": "ja"}
            ),
            "2",
        ),
        (
            forms.SelectMultiple(choices=SELECT_CHOICES, attrs={"id": "id_p"}),
            ["1", "3"],
        ),
        (forms.NullBooleanSelect(), True),
        (forms.TextInput(attrs={"required": True, "maxlength": 5}), 'A&B "x"'),
        (forms.EmailInput(attrs={"disabled": False}), None),
        (forms.DateInput(attrs={"aria-describedby": "id_help"}), "2040-09-01"),
        (forms.CheckboxInput(), True),
        (
            forms.RadioSelect(
                choices=[("a", "一"), ("b", "<二>")], attrs={"id": "id_r"}
            ),
            "b",
        ),
        (
            forms.CheckboxSelectMultiple(
                choices=SELECT_CHOICES[1:], attrs={"id": "id_c"}
            ),
            ["2"],
        ),
    ],
)
def test_widgets_render_as_django_renders_them(widget, value):
    """The portal's widget templates (templates/django/forms/: options and
    attributes written inline) write what Django's own templates write, up to
    the blank lines between options."""

    def lines(html):
        return [line for line in html.splitlines() if line.strip()]

    ours = widget.render("field", value, renderer=get_default_renderer())
    djangos = widget.render("field", value, renderer=DjangoTemplates())
    assert lines(ours) == lines(djangos)


def test_error_lists_render_as_django_renders_them():
    errors = ErrorList(["A&B", "<二>"], field_id="id_x")
    assert errors.render(renderer=get_default_renderer()) == errors.render(
        renderer=DjangoTemplates()
    )
    assert ErrorList([]).render(renderer=get_default_renderer()) == ""


def test_the_request_form_renders_no_template_per_attribute_or_empty_error(client):
    response = client.get("/ja/support/request/")
    names = Counter(template.name for template in response.templates)
    assert names["django/forms/errors/list/default.html"] == 0
    assert names["django/forms/errors/list/ul.html"] == 0
    # Text inputs, text areas and labels are written in Python
    # (form_rendering.py); a radio's or a checkbox's options still include
    # input.html, as Django's option templates do.
    for written in ("text", "email", "date", "textarea"):
        assert names[f"django/forms/widgets/{written}.html"] == 0, names
    assert names["django/forms/label.html"] == 0, names
    assert 0 < names["django/forms/widgets/input.html"] <= 12, names
    assert names["django/forms/widgets/attrs.html"] <= 5, names
    assert response.text.count("<input") >= 20


# Admin inlines ------------------------------------------------------------------


def test_an_inline_builds_its_empty_row_once(admin_client):
    """Django builds an inline's empty row (the template of "add another") each
    time the admin asks for it: five times per inline, a sixth of a change
    page's time."""
    seminar = SeminarFactory()
    built = Counter()
    add_fields = BaseFormSet.add_fields

    def counting(formset, form, index):
        if index is None:
            built[formset.prefix] += 1
        return add_fields(formset, form, index)

    with mock.patch.object(BaseFormSet, "add_fields", counting):
        response = admin_client.get(
            reverse("admin:seminars_seminar_change", args=[seminar.pk])
        )
    assert response.status_code == 200
    assert len(built) >= 3  # organisers, programme days, photos
    assert set(built.values()) == {1}, built
    assert response.content.decode().count("__prefix__") >= len(built)


@pytest.mark.parametrize(
    "value", ["", "広州国際旅游展覧会（GITF）", "A&B <x>\n\"y\" 'z'", "一\r\n二\r三"]
)
def test_brochure_cells_are_set_as_linebreaksbr_sets_them(value):
    """The printed brochure writes its cells in Python (half the time of
    Django's filter, called per cell): the same HTML as |linebreaksbr."""
    assert _cell_html(value) == linebreaksbr(value, autoescape=True)
