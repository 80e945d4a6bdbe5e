"""The brochure as PDF: WeasyPrint, CJK fonts embedded, text searchable.
Reads the PDF back with poppler-utils (pdftotext, pdffonts, pdfimages)."""

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clair_portal.foundation.models import Photo

pytestmark = pytest.mark.django_db


def poppler(tool, pdf_path, *args):
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: install Debian's poppler-utils")
    result = subprocess.run(
        [tool, *args, str(pdf_path), "-"]
        if tool == "pdftotext"
        else [tool, *args, str(pdf_path)],
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


@pytest.fixture
def pdf(client, tmp_path):
    def get(url):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        path = tmp_path / "brochure.pdf"
        path.write_bytes(response.content)
        return response, path

    return get


def embedded_cjk_fonts(listing):
    """pdffonts' rows whose font is a CJK face, embedded ("emb" yes)."""
    rows = listing.splitlines()[2:]
    return [row for row in rows if "CJK" in row and " yes " in row]


def test_japanese_pdf(pdf):
    response, path = pdf("/ja/brochure/2018.pdf")
    assert response["Content-Disposition"] == (
        'inline; filename="clair-beijing-brochure-fy2018-ja.pdf"'
    )
    assert path.read_bytes().startswith(b"%PDF-")
    text = poppler("pdftotext", path)
    for fact in [
        "綿陽市",
        "日中地域間交流推進セミナー",
        "喜多方ラーメンバーガー",
        "北京事務所",
    ]:
        assert fact in text, fact
    fonts = embedded_cjk_fonts(poppler("pdffonts", path))
    assert fonts and any("JP" in row for row in fonts)


def test_chinese_pdf(pdf):
    response, path = pdf("/zh-hans/brochure/2022.pdf")
    assert "fy2022-zh-hans.pdf" in response["Content-Disposition"]
    text = poppler("pdftotext", path)
    for fact in ["绵阳市", "中日地方交流促进研讨会", "酱油风味芋头煮"]:
        assert fact in text, fact
    fonts = embedded_cjk_fonts(poppler("pdffonts", path))
    assert fonts and any("SC" in row for row in fonts)


def test_the_print_layout_leaves_out_the_navigation(pdf):
    _response, path = pdf("/ja/brochure/2018.pdf")
    text = poppler("pdftotext", path)
    assert "本文へスキップ" not in text  # skip link
    assert "事業一覧" not in text  # the program navigation's label


def test_photos_come_from_media_root(pdf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "#1d4f91").save(buffer, "JPEG")
    photo = Photo.objects.get(caption_ja="長虹商貿中心展館の視察")
    photo.image = SimpleUploadedFile("pdf-visit.jpg", buffer.getvalue(), "image/jpeg")
    photo.save()
    _response, path = pdf("/ja/brochure/2018.pdf")
    images = poppler("pdfimages", path, "-list").splitlines()[2:]
    assert len(images) == 1


@pytest.mark.parametrize(
    ("url", "cover", "colophon"),
    [
        (
            "/ja/brochure/2018.pdf",
            "2018年度（2018年4月～2019年3月）の事業実績",
            "ポータルのデータから作成",
        ),
        (
            "/zh-hans/brochure/2022.pdf",
            "2022年度（2022年4月至2023年3月）工作成果",
            "根据本网站数据制作",
        ),
    ],
)
def test_the_pdf_is_set_as_a_booklet(pdf, url, cover, colophon):
    """The cover says what the fiscal year means; sections flow instead of
    each starting a page, so no page but the cover and the last is nearly
    empty; the colophon ends it; chapters' names head the pages."""
    _response, path = pdf(url)
    pages = poppler("pdftotext", path, "-layout").split("\f")
    pages = [page for page in pages if page.strip()]
    assert cover in pages[0]
    assert colophon in pages[-1]
    for number, page in enumerate(pages[2:-1], start=3):
        lines = [line for line in page.splitlines() if line.strip()]
        assert len(lines) >= 12, f"page {number} holds {len(lines)} lines"
