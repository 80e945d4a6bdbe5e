"""Notes for staff stay with staff: the admin and check_data show them, no
public page, printed brochure or CSV download does.

Every public page is rendered in both languages and searched for every note
for staff the brochures' data holds (the reconciliation notes of the seminar
themes, the LGOTP rows, the key figures, the executive seminar's first year,
the telephone numbers, the captions). The rule itself is held at the model
level: a note for staff is a StaffNoteField named staff_note, and the two ways
a page reads a translated text refuse it."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from modeltranslation.utils import get_translation_fields

from clair_portal.foundation import cells
from clair_portal.foundation.local_apps import local_models
from clair_portal.foundation.models import Program, ProgramIntro
from clair_portal.foundation.staff_notes import (
    STAFF_NOTE,
    StaffNoteField,
    StaffNoteOnPublicPage,
)
from seminars.models import Seminar

pytestmark = pytest.mark.django_db

LANGUAGES = ["ja", "zh-hans"]
# (URL name, kwargs) of every public page and download.
PUBLIC = [
    ("home", {}),
    ("office", {}),
    ("seminars:list", {}),
    *[("seminars:detail", {"edition": n}) for n in range(1, 19)],
    ("seminars:csv", {}),
    ("support_requests:index", {}),
    ("support_requests:csv", {}),
    ("support_requests:request", {}),
    ("jet:index", {}),
    ("jet:csv", {}),
    ("exchange:index", {}),
    ("exchange:lgotp_csv", {}),
    ("exchange:travel_expos_csv", {}),
    ("exchange:cooking_events_csv", {}),
    ("exchange:livestreams_csv", {}),
    ("events", {}),
    ("experts:index", {}),
    ("experts:csv", {}),
    ("experts:request", {}),
    ("brochure:detail", {"fiscal_year": 2018}),
    ("brochure:detail", {"fiscal_year": 2019}),
    ("brochure:detail", {"fiscal_year": 2022}),
]
# What the public pages used to show: the LGOTP table's column, the JET
# page's differences between editions.
FORMER_PUBLIC_NOTES = ["編集注記", "编辑附注", "一致しない", "不一致", "falls from"]


def staff_note_fields(model):
    return [
        field for field in model._meta.get_fields() if isinstance(field, StaffNoteField)
    ]


def staff_notes() -> set[str]:
    """Every note for staff in the database, in every language."""
    notes = set()
    for model in local_models():
        names = [field.name for field in staff_note_fields(model)]
        if names:
            for row in model._default_manager.values_list(*names):
                notes |= {value for value in row if value}
    return notes


def text_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_the_brochures_data_has_notes_for_staff_to_hide():
    notes = staff_notes()
    assert len(notes) > 40
    assert any("增进地方合作 共享发展机遇" in note for note in notes)  # seminar 18
    assert any("医療行政等" in note for note in notes)  # an LGOTP row
    assert any("6513-8790" in note for note in notes)  # a contact


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_public_page_shows_a_note_for_staff(client, language):
    # One more, on a record every seminars page shows.
    seminar = Seminar.objects.get(edition=18)
    seminar.staff_note_ja += "（担当者確認済み）"
    seminar.save()
    intro = ProgramIntro.objects.get(edition__year=2023, program=Program.SEMINARS)
    intro.staff_note_ja, intro.staff_note_zh_hans = "紹介文の確認中", "介绍文字确认中"
    intro.save()
    notes = staff_notes()
    found = []
    for name, kwargs in PUBLIC:
        with translation.override(language):
            url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 200, url
        text = text_of(response)
        found += [(url, note) for note in notes if note in text or note[:20] in text]
        found += [(url, words) for words in FORMER_PUBLIC_NOTES if words in text]
    assert found == []


def test_a_note_for_staff_is_a_staff_note_field_named_staff_note():
    """The model-level rule: every note for staff is a StaffNoteField named
    staff_note (and its languages' columns), and no other field is a note
    but the note for the public that a brochure printed."""
    public = {"public_note", *get_translation_fields("public_note")}
    staff = {STAFF_NOTE, *get_translation_fields(STAFF_NOTE)}
    for model in local_models():
        for field in model._meta.get_fields():
            name = field.name
            if isinstance(field, StaffNoteField):
                assert name in staff, f"{model._meta.label}.{name}"
            elif "note" in name:
                assert name in public, f"{model._meta.label}.{name}"
                assert model in (ProgramIntro, ProgramIntro.history.model)


def test_a_public_page_cannot_read_a_note_for_staff():
    intro = ProgramIntro.objects.filter(staff_note_ja__gt="").first()
    template = Template('{% load portal %}{% localized intro "staff_note" %}')
    with pytest.raises(StaffNoteOnPublicPage):
        template.render(Context({"intro": intro}))
    with pytest.raises(StaffNoteOnPublicPage):
        cells.translated("staff_note")
    with pytest.raises(StaffNoteOnPublicPage):
        cells.translated("edition__staff_note")
    assert cells.translated("edition__title") is not None


def test_staff_read_the_notes_in_the_admin(admin_client):
    intro = ProgramIntro.objects.get(
        edition__year=2019, program=Program.EXECUTIVE_SEMINAR
    )
    url = reverse("admin:clair_portal_programintro_change", args=[intro.pk])
    html = admin_client.get(url).content.decode()
    assert intro.staff_note_ja in html
    assert intro.staff_note_zh_hans in html
