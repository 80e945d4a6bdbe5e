"""Notes for staff, kept apart from what the public reads.

A record's note for staff says why it says what it says: which edition
printed what, how two editions that disagree were reconciled, a misprint
corrected in the translation. Staff read and write it in the admin, and
check_data reads it; the public never does. Public pages, the printed
brochure and the CSV downloads show only what the office would print.

The rule is held in one place each way: every note for staff is a
`StaffNoteField` named `staff_note` (tests/test_staff_notes.py holds the
models to it), and the two ways a public page reads a translated text, the
`{% localized %}` tag and `cells.translated()`, refuse that name.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

STAFF_NOTE = "staff_note"


class StaffNoteField(models.TextField):
    """A note for staff: shown in the admin and by check_data, never on a
    public page, in the printed brochure or in a CSV download."""

    description = _("A note for staff, never shown to the public")
    DEFAULTS = {
        "verbose_name": _("note for staff"),
        "blank": True,
        "help_text": _(
            "For staff only: which edition printed what, how the editions were "
            "reconciled. Never shown on public pages, in the printed brochure "
            "or in a CSV download."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**self.DEFAULTS, **kwargs})

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, default in self.DEFAULTS.items():
            if key in kwargs and str(kwargs[key]) == str(default):
                del kwargs[key]
        return name, path, args, kwargs


def is_staff_note(field_path: str) -> bool:
    """Whether a field's name or lookup path ("staff_note", "edition__staff_note")
    names a note for staff."""
    return field_path.rsplit("__", 1)[-1] == STAFF_NOTE


class StaffNoteOnPublicPage(ValueError):
    """A public page asked for a note for staff."""


def refuse_staff_note(field_path: str) -> None:
    if is_staff_note(field_path):
        raise StaffNoteOnPublicPage(
            f"{field_path} is a note for staff: public pages never show it."
        )
