"""The PDF of a year whose every printed text is as long as the admin accepts
renders in bounded time and memory, in both languages.

WeasyPrint's automatic table layout took time growing with the square of a
cell's Japanese or Chinese text, and a grid (the staff's cards) as well: one
returnee gathering's description of 3,000 characters took 16 s, of 10,000
characters 156 s, and staff messages of 1,000 characters gave no PDF at all.
The print stylesheet now gives tables fixed column widths
(selectors.print_column_widths) and lays the cards out one under the other.
"""

import re

import pytest
from django.db import models
from django.test import RequestFactory
from django.utils import translation
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname, get_translation_fields

from clair_portal.features.brochure import pdf
from clair_portal.features.brochure.reads import BROCHURE_READS
from clair_portal.features.brochure.selectors import print_column_widths
from clair_portal.features.brochure.views import BrochurePdfView
from clair_portal.foundation.models import (
    PRINTED_TEXT_MAX_LENGTH,
    BrochureEdition,
    Greeting,
    ProgramIntro,
    StaffMember,
)
from clair_portal.foundation.staff_notes import StaffNoteField
from exchange.models import ExecutiveSeminar
from jet.models import ReturneeGathering
from seminars.models import Seminar, SeminarProgrammeDay
from tests.bounds import MiB, measured

from .test_pdf import poppler

pytestmark = pytest.mark.django_db

FISCAL_YEAR = 2018  # the year with a record of every kind that prints a text
# A year's PDF with every printed text at its longest took 6-12 s on the
# development machine (2 cores, shared with a CI run); gunicorn's workers stop
# a render after 30 s (PDF_RENDER_TIMEOUT).
SECONDS = 20
# How far the render raises the process's peak resident memory (the PDF
# itself is under 1 MiB); a runaway render stops at tests.bounds.GUARD.
PEAK = 300 * MiB

# Every long text the printed brochure shows, by the records FISCAL_YEAR's
# brochure prints it from.
PRINTED_TEXTS = [
    (lambda: BrochureEdition.objects.filter(year=FISCAL_YEAR + 1), "overview"),
    (lambda: Greeting.objects.filter(edition__year=FISCAL_YEAR + 1), "body"),
    (lambda: StaffMember.objects.filter(edition__year=FISCAL_YEAR + 1), "message"),
    (lambda: ProgramIntro.objects.filter(edition__year=FISCAL_YEAR + 1), "body"),
    (
        lambda: ProgramIntro.objects.filter(edition__year=FISCAL_YEAR + 1),
        "public_note",
    ),
    (
        lambda: SeminarProgrammeDay.objects.filter(seminar__fiscal_year=FISCAL_YEAR),
        "description",
    ),
    (
        lambda: ReturneeGathering.objects.filter(fiscal_year=FISCAL_YEAR),
        "description",
    ),
    (lambda: ExecutiveSeminar.objects.filter(fiscal_year=FISCAL_YEAR), "summary"),
]
# Texts of the tables the brochure reads that it does not print.
NOT_PRINTED = {(Seminar, "report")}

SENTENCES = {
    "ja": "日本の地方自治体と中国の地方政府が交流を深め、経験者が意見を交わしました。",
    "zh-hans": "日本地方政府与中国地方政府深化交流，经验者交换了意见并分享了各自的做法。",
}


def longest_text(sentence: str, length: int) -> str:
    """Ordinary prose of `length` characters: sentences, a paragraph every
    ten of them."""
    paragraph = sentence * 10 + "\n\n"
    return (paragraph * (length // len(paragraph) + 1))[:length]


def fill_every_printed_text():
    """Every printed text of FISCAL_YEAR's brochure at the longest its field
    accepts, in every language. Returns how many texts were filled."""
    filled = 0
    for records, name in PRINTED_TEXTS:
        queryset = records()
        model = queryset.model
        length = model._meta.get_field(name).max_length
        values = {
            build_localized_fieldname(name, language): longest_text(
                SENTENCES[language], length
            )
            for language in AVAILABLE_LANGUAGES
        }
        count = queryset.update(**values)
        assert count, f"no {model.__name__} of FY{FISCAL_YEAR} prints its {name}"
        for record in queryset:
            record.full_clean()  # the longest the admin accepts
        filled += count
    return filled


def render(language: str) -> bytes:
    """The brochure's PDF as the view renders it, without the store."""
    with translation.override(language):
        request = RequestFactory().get(f"/{language}/brochure/{FISCAL_YEAR}.pdf")
        view = BrochurePdfView()
        view.setup(request, fiscal_year=FISCAL_YEAR)
        return view.render_pdf()


def test_every_text_the_brochure_prints_is_bounded():
    printed = {(records().model, name) for records, name in PRINTED_TEXTS}
    texts = {
        (model, name)
        for model in BROCHURE_READS
        if model in translator.get_registered_models()
        for name in translator.get_options_for_model(model).fields
        if isinstance(model._meta.get_field(name), models.TextField)
        and not isinstance(model._meta.get_field(name), StaffNoteField)
    }
    assert texts == printed | NOT_PRINTED, "a new text: is it printed?"
    for model, name in printed:
        for field in [name, *get_translation_fields(name)]:
            assert model._meta.get_field(field).max_length == PRINTED_TEXT_MAX_LENGTH


def words(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_the_longest_texts_render_in_bounded_time_and_memory(
    client, settings, tmp_path, language
):
    # Past the bound a render ends instead of running for minutes.
    settings.PDF_RENDER_TIMEOUT = 3 * SECONDS
    render(language)  # imports and fonts, as a worker that rendered before
    texts = fill_every_printed_text()

    with measured(allocations=False) as figures:
        document = render(language)

    path = tmp_path / "brochure.pdf"
    path.write_bytes(document)
    print(
        f"{language}: {texts} texts of {PRINTED_TEXT_MAX_LENGTH:,} characters, "
        f"{len(document) / MiB:.1f} MiB of PDF"
    )
    assert figures["seconds"] < SECONDS
    assert figures["peak"] < PEAK
    # Every text is printed whole: as often as on the printable page (but
    # where a page break falls inside the words looked for).
    page = client.get(f"/{language}/brochure/{FISCAL_YEAR}/").content.decode()
    on_page = words(re.sub(r"<[^>]+>", "", page.split("<article", 1)[1]))
    in_pdf = words(poppler("pdftotext", path))
    sentence = SENTENCES[language][:4]
    assert on_page.count(sentence) > 8_000
    assert in_pdf.count(sentence) > 0.98 * on_page.count(sentence)


def test_columns_share_the_printed_width_by_their_text():
    themes = [["1", "2002", "北京市", "日中" * 5_000], ["17", "2018", "綿陽市", "交流"]]
    widths = print_column_widths(["回", "年度", "開催都市", "テーマ"], themes)
    assert sum(widths) == 100 and all(width % 5 == 0 for width in widths)
    number, year, city, theme = widths
    assert 5 <= number <= year < city < theme
    # However long, a text asks for no more than a long line does.
    very_long, long = (
        print_column_widths(["テーマ", "都市"], [["日中" * length, "北京市"]])
        for length in (5_000, 50)
    )
    assert very_long == long


def test_a_render_past_its_limit_is_stopped(settings):
    settings.PDF_RENDER_TIMEOUT = 0.01
    with pytest.raises(pdf.RenderTimeout):
        render("ja")
