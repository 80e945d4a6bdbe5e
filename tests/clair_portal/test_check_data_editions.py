"""check_data reports a fact that two editions publish differently until a
note for staff on either record says why."""

import datetime
import io

import pytest
from django.core.management import call_command

from clair_portal.features.data_checks import facts_that_differ_between_editions
from clair_portal.foundation.models import KeyFigure, OfficeContact, ProgramIntro
from tests.factories import BrochureEditionFactory, KeyFigureFactory

pytestmark = pytest.mark.django_db


def findings():
    return [str(finding) for finding in facts_that_differ_between_editions()]


def test_the_brochures_differences_are_all_explained():
    """1997 and 1995 for the executive seminar, 8790 and 8791, 135 for two
    dates: each has its note for staff."""
    assert findings() == []


def test_a_difference_without_a_note_is_reported():
    ProgramIntro.objects.filter(program="executive_seminar").update(
        staff_note_ja="", staff_note_zh_hans=""
    )
    assert findings() == [
        "[editions] clair_portal.ProgramIntro executive_seminar: started_year "
        "1997 (edition 2019) but 1995 (edition 2023), and no note for staff says why"
    ]
    out = io.StringIO()
    call_command("check_data", stdout=out)
    assert "started_year 1997 (edition 2019) but 1995 (edition 2023)" in out.getvalue()


def test_the_later_records_note_in_either_language_explains_it():
    intros = ProgramIntro.objects.filter(program="executive_seminar")
    intros.update(staff_note_ja="", staff_note_zh_hans="")
    intros.filter(edition__year=2019).update(staff_note_ja="開始年は要確認")
    assert len(findings()) == 1  # the earlier record's note explains nothing newer
    intros.filter(edition__year=2023).update(staff_note_zh_hans="开始年份待确认")
    assert findings() == []


def test_a_newer_edition_with_another_telephone_number_is_reported():
    edition = BrochureEditionFactory(year=2027)
    beijing = OfficeContact.objects.current().get(site="beijing")
    beijing.pk, beijing.edition = None, edition
    beijing.telephone = "+86-(0)10-6513-0000"
    beijing.staff_note_ja = beijing.staff_note_zh_hans = ""
    beijing.save()
    assert findings() == [
        "[editions] clair_portal.OfficeContact beijing: telephone "
        "+86-(0)10-6513-8791 (edition 2023) but +86-(0)10-6513-0000 "
        "(edition 2027), and no note for staff says why"
    ]


def test_key_figures_that_cannot_both_be_right():
    KeyFigure.objects.update(staff_note_ja="", staff_note_zh_hans="")
    [same_value] = findings()
    assert same_value == (
        "[executive_seminar_participants] editions 2019 and 2023 publish 135 "
        "both as of 2019-03-31 and as of 2020-03-31, and no note for staff says why"
    )
    newer = BrochureEditionFactory(year=2027)
    KeyFigureFactory(
        edition=newer,
        metric=KeyFigure.Metric.SISTER_CITIES,
        value=380,
        as_of=datetime.date(2023, 3, 1),
        staff_note_ja="",
        staff_note_zh_hans="",
    )
    assert (
        "[sister_cities] editions 2023 and 2027 publish 379 and 380 as of "
        "2023-03-01, and no note for staff says why"
    ) in findings()
