"""Texts per brochure edition: a page shows the newest edition's text, the
earlier editions' in its archive, the printed brochure of a year its own
edition's; an edition that printed nothing says so, in both languages."""

import re

import pytest
from django.db import IntegrityError, transaction

from clair_portal.foundation.editions import program_texts
from clair_portal.foundation.models import BrochureEdition, Program, ProgramIntro
from tests.factories import BrochureEditionFactory, ProgramIntroFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["ja", "zh-hans"]
NOT_PRINTED = {"ja": "この版には記載がありません。", "zh-hans": "该版未刊载。"}

# The seminars' introduction: the 2023 edition's (Chinese as printed, Japanese
# translated) and the 2019 edition's (Japanese as printed, Chinese translated).
SEMINARS_2023 = {
    "ja": "日中の地方行政関係者が一堂に会し",
    "zh-hans": "中日地方行政相关人士共聚一堂",
}
SEMINARS_2019 = {
    "ja": "課題解決型の交流が重視されるようになる中で",
    "zh-hans": "越来越重视以解决课题为导向的交流",
}


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def lead_and_archive(html):
    """The page's lead (the newest edition's text) and its archive (the
    earlier editions' folds)."""
    lead = html.split('<div class="lead">', 1)[1].split("</div>", 1)[0]
    archive = html.split('<div class="earlier-editions">', 1)[1]
    return lead, archive


def test_every_program_text_belongs_to_an_edition_in_both_languages():
    assert not ProgramIntro.objects.filter(body_ja="").exists()
    assert not ProgramIntro.objects.filter(body_zh_hans="").exists()
    printed = set(
        ProgramIntro.objects.values_list("edition__year", "program").order_by()
    )
    # 2019 printed nothing on livestreams (not yet run) nor on the research.
    assert (2019, Program.LIVESTREAM) not in printed
    assert (2019, Program.RESEARCH) not in printed
    assert {program for year, program in printed if year == 2023} == set(Program)
    editions = dict(BrochureEdition.objects.values_list("year", "source_language"))
    assert editions == {2019: "ja", 2023: "zh-hans"}


def test_one_text_per_program_and_edition():
    intro = ProgramIntro.objects.filter(edition__year=2023).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramIntroFactory(edition=intro.edition, program=intro.program)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_program_page_shows_the_newest_edition_and_the_earlier_in_its_archive(
    client, language
):
    html = page(client, f"/{language}/seminars/")
    lead, archive = lead_and_archive(html)
    assert SEMINARS_2023[language] in lead
    assert SEMINARS_2019[language] not in lead
    assert SEMINARS_2019[language] in archive
    assert SEMINARS_2023[language] not in archive
    assert "<details" in archive and "2019" in archive


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_brochure_of_a_year_uses_its_own_editions_texts(client, language):
    fy2018 = page(client, f"/{language}/brochure/2018/")  # the 2019 edition
    fy2022 = page(client, f"/{language}/brochure/2022/")  # the 2023 edition
    assert SEMINARS_2019[language] in fy2018
    assert SEMINARS_2023[language] not in fy2018
    assert SEMINARS_2023[language] in fy2022
    assert SEMINARS_2019[language] not in fy2022


def test_the_2019_brochure_prints_the_japanese_as_printed(client):
    """The FY2018 brochure (the 2019 edition) in Japanese: the edition's own
    paragraphs, word for word as the brochure printed them."""
    html = page(client, "/ja/brochure/2018/")
    # FY2019's records (LGOTP) are printed in FY2019's brochure, which the
    # 2019 edition reports too (there is no 2020 edition).
    both = html + page(client, "/ja/brochure/2019/")
    seeds = ProgramIntro.objects.filter(edition__year=2019)
    assert seeds.count() == 10
    for intro in seeds:
        for paragraph in [
            *intro.body_ja.split("\n\n"),
            *intro.public_note_ja.split("\n\n"),
        ]:
            assert paragraph.replace("\n", "<br>") in both, intro.program
    printed = (
        "日中間の交流がこれまでの友好親善を目的としたものに加え、課題解決型の"
        "交流が重視されるようになる中で、日中地方政府間の対話をより強化し"
    )
    assert printed in html
    assert "2023年度版の中国語の原文からの翻訳です" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translated_text_says_it_is_one(client, language):
    fy2018 = page(client, f"/{language}/brochure/2018/")
    fy2022 = page(client, f"/{language}/brochure/2022/")
    translated = {
        "ja": ("2023年度版の中国語の原文からの翻訳です。", fy2022, fy2018),
        "zh-hans": ("译自2019年度版的日文原文。", fy2018, fy2022),
    }
    sentence, translation, original = translated[language]
    assert sentence in translation
    assert "原文" not in re.sub(r"<[^>]+>", "", original).split("目次")[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_edition_that_printed_nothing_says_so(client, language):
    """The 2019 edition printed nothing on the livestreams: its fold says so
    and holds no other edition's text."""
    html = page(client, f"/{language}/exchange/")
    section = html.split('id="livestreams"', 1)[1].split("</section>", 1)[0]
    _current, archive = section.split('<div class="earlier-editions">', 1)
    fold = archive.split("<details", 2)[1]
    assert "2019" in fold
    assert NOT_PRINTED[language] in fold
    livestream_2023 = ProgramIntro.objects.get(
        edition__year=2023, program=Program.LIVESTREAM
    )
    assert livestream_2023.body_ja[:20] not in fold
    assert livestream_2023.body_zh_hans[:20] not in fold


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_newest_edition_without_a_text_says_so_rather_than_an_older_one(
    client, language
):
    """A new edition with no text on the JET Programme yet: the page says so
    in its lead, and the 2023 text moves to the archive."""
    edition = BrochureEditionFactory(year=2027, source_language="zh-hans")
    ProgramIntroFactory(edition=edition, program=Program.SEMINARS)
    texts = program_texts([Program.JET])[Program.JET]
    assert texts.current.edition == edition and texts.intro is None
    assert [text.edition.year for text in texts.earlier] == [2023, 2019]
    html = page(client, f"/{language}/jet/")
    lead, archive = lead_and_archive(html)
    assert NOT_PRINTED[language] in lead
    jet_2023 = ProgramIntro.objects.get(edition__year=2023, program=Program.JET)
    assert jet_2023.body_ja[:30] not in lead
    assert {"ja": jet_2023.body_ja, "zh-hans": jet_2023.body_zh_hans}[language][
        :30
    ] in archive


def test_program_texts_read_in_one_query(django_assert_num_queries):
    programs = list(Program)
    program_texts(programs)  # the photos' content type, cached after
    with django_assert_num_queries(1):
        texts = program_texts(programs)
    assert texts[Program.LGOTP].current.photos  # the send-off, 2023
    assert texts[Program.JET].earlier[0].photos  # the WeChat account, 2019


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_office_page_archives_the_earlier_overview_and_greeting(client, language):
    html = page(client, f"/{language}/office/")
    current, archive = html.split('<div class="earlier-editions">', 1)
    greeting_2019 = {"ja": "日中青少年交流推進年", "zh-hans": "中日青少年交流促进年"}
    assert greeting_2019[language] in archive
    assert greeting_2019[language] not in current
    assert "近松 茂弘" in current
