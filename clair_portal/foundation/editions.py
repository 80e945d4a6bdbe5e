"""Reads of the texts each brochure edition printed: a program's
introduction, the notes printed with its tables and their photos.

A program page shows the newest edition's text and, below, what the earlier
editions printed (their archive); an edition that printed nothing on the
program says so. One query whatever the editions and programs: the newest
editions, each with its introductions and their photos as arrays.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef
from modeltranslation.utils import get_translation_fields

from .models import BrochureEdition, Photo, Program, ProgramIntro
from .related_rows import related_instances
from .selectors import RECENT_EDITIONS

# What a public page reads of an introduction: never its note for staff.
INTRO_FIELDS = (
    "id",
    "edition_id",
    "program",
    "started_year",
    *get_translation_fields("title"),
    *get_translation_fields("body"),
    *get_translation_fields("public_note"),
)
PHOTO_FIELDS = ("id", "object_id", "image", *get_translation_fields("caption"))
# The tables a page with program texts reads (for the page cache).
PROGRAM_TEXT_READS = (BrochureEdition, ProgramIntro, Photo)


@dataclass(frozen=True)
class EditionText:
    """What one edition printed on a program: its introduction, or None when
    it printed nothing on it."""

    edition: BrochureEdition
    intro: ProgramIntro | None
    photos: tuple[Photo, ...] = ()


@dataclass(frozen=True)
class ProgramTexts:
    """A program's texts: the newest edition's (`current`, None when there is
    no edition at all) and the earlier editions' (`earlier`, newest first)."""

    program: Program
    current: EditionText | None
    earlier: tuple[EditionText, ...]

    @property
    def intro(self) -> ProgramIntro | None:
        """The newest edition's introduction, if it printed one."""
        return self.current.intro if self.current else None

    @property
    def label(self):
        return self.program.label


def editions_with_texts(programs, newest: int = RECENT_EDITIONS):
    """The `newest` editions, newest first, each with its introductions of
    `programs` as `intro_list` and their photos as `intro_photos`, in one
    query."""
    intros = ProgramIntro.objects.filter(edition=OuterRef("pk"), program__in=programs)
    photos = Photo.objects.filter(
        content_type=ContentType.objects.get_for_model(ProgramIntro),
        object_id__in=ProgramIntro.objects.filter(
            edition=OuterRef(OuterRef("pk")), program__in=programs
        ).values("pk"),
    )
    return BrochureEdition.objects.annotate(
        intro_list=related_instances(intros.order_by("program"), *INTRO_FIELDS),
        intro_photos=related_instances(
            photos.order_by("object_id", "position", "id"), *PHOTO_FIELDS
        ),
    ).order_by("-year")[:newest]


def program_texts(
    programs: list[Program] | tuple[Program, ...], newest: int = RECENT_EDITIONS
) -> dict[str, ProgramTexts]:
    """Each of `programs`' texts in the `newest` editions, by program."""
    programs = [Program(program) for program in programs]
    editions = list(editions_with_texts([p.value for p in programs], newest))
    texts: dict[str, list[EditionText]] = {program.value: [] for program in programs}
    for edition in editions:
        by_program = {intro.program: intro for intro in edition.intro_list}
        for program in programs:
            intro = by_program.get(program.value)
            photos = ()
            if intro is not None:
                intro.edition = edition
                photos = tuple(
                    photo
                    for photo in edition.intro_photos
                    if photo.object_id == intro.pk
                )
            texts[program.value].append(EditionText(edition, intro, photos))
    return {
        program.value: ProgramTexts(
            program,
            current=texts[program.value][0] if editions else None,
            earlier=tuple(texts[program.value][1:]),
        )
        for program in programs
    }
