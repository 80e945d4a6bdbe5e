"""Files are checked by their content: each accepted format passes, and a file
whose content is not what its name says is refused."""

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from clair_portal.foundation.file_checks import (
    MAX_ATTACHMENT_SIZE,
    ole_stream_names,
    validate_attachment,
    validate_attachments,
)

from .helpers import (
    OOXML,
    PDF,
    image_bytes,
    ole_bytes,
    ooxml_bytes,
    upload,
    xlsx_bytes,
)

GOOD = {
    "plan.pdf": (lambda: PDF, "application/pdf"),
    "photo.jpg": (lambda: image_bytes("JPEG"), "image/jpeg"),
    "photo.JPEG": (lambda: image_bytes("JPEG"), "image/jpeg"),
    "map.png": (lambda: image_bytes("PNG"), "image/png"),
    "minutes.docx": (lambda: ooxml_bytes(), f"{OOXML}.wordprocessingml.document"),
    "figures.xlsx": (xlsx_bytes, f"{OOXML}.spreadsheetml.sheet"),
    "slides.pptx": (
        lambda: ooxml_bytes(
            "/ppt/presentation.xml",
            f"{OOXML}.presentationml.presentation.main+xml",
        ),
        f"{OOXML}.presentationml.presentation",
    ),
    "old.doc": (lambda: ole_bytes("WordDocument", "1Table"), "application/msword"),
    "old.xls": (lambda: ole_bytes("Workbook"), "application/vnd.ms-excel"),
    "older.xls": (lambda: ole_bytes("Book"), "application/vnd.ms-excel"),
    "old.ppt": (
        lambda: ole_bytes("PowerPoint Document", "Current User"),
        "application/vnd.ms-powerpoint",
    ),
}


@pytest.mark.parametrize("name", list(GOOD))
def test_accepted_formats(name):
    content, mime = GOOD[name]
    file = upload(name, content(), "application/x-whatever")
    validate_attachment(file)
    assert file.content_type == mime  # what was found, not what the browser said


def docm_bytes():
    return ooxml_bytes(
        main_type="application/vnd.ms-word.document.macroEnabled.main+xml"
    )


def zip_without_content_types():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


DISGUISED = {
    "text named .pdf": ("notes.pdf", b"Dear office,\nplease find...\n"),
    "program named .pdf": ("invoice.pdf", b"MZ\x90\x00\x03" + bytes(300)),
    "HTML named .pdf": ("page.pdf", b"<!DOCTYPE html><script>alert(1)</script>"),
    "PNG named .jpg": ("photo.jpg", image_bytes("PNG")),
    "PDF named .png": ("map.png", PDF),
    "PNG named .docx": ("minutes.docx", image_bytes("PNG")),
    "xlsx named .docx": ("minutes.docx", xlsx_bytes()),
    "macro document named .docx": ("minutes.docx", docm_bytes()),
    "plain zip named .docx": ("minutes.docx", zip_without_content_types()),
    "broken zip named .xlsx": ("figures.xlsx", b"PK\x03\x04" + bytes(100)),
    "Word file named .xls": ("figures.xls", ole_bytes("WordDocument")),
    "installer named .doc": ("setup.doc", ole_bytes("SummaryInformation")),
    "text named .doc": ("old.doc", b"plain text " * 100),
    "truncated OLE named .ppt": ("slides.ppt", ole_bytes("PowerPoint Document")[:700]),
}


@pytest.mark.parametrize("case", list(DISGUISED))
def test_disguised_files_are_refused(case):
    name, content = DISGUISED[case]
    with pytest.raises(ValidationError) as refused:
        validate_attachment(upload(name, content))
    assert refused.value.code == "content"
    assert refused.value.params["name"] == name


@pytest.mark.parametrize("name", ["setup.exe", "script.js", "page.html", "noextension"])
def test_other_formats_are_refused(name):
    with pytest.raises(ValidationError) as refused:
        validate_attachment(upload(name, PDF))
    assert refused.value.code == "type"


def test_size_limit():
    validate_attachment(upload("big.pdf", PDF + bytes(MAX_ATTACHMENT_SIZE - len(PDF))))
    with pytest.raises(ValidationError) as refused:
        validate_attachment(upload("big.pdf", PDF + bytes(MAX_ATTACHMENT_SIZE)))
    assert refused.value.code == "too_large"


@pytest.mark.parametrize(("language", "unit"), [("ja", "バイト"), ("zh-hans", "字节")])
def test_one_byte_too_many_is_told_in_bytes(language, unit):
    # Both sizes round to 10.0 MB: "10.0 MB, larger than 10.0 MB" told nothing.
    assert MAX_ATTACHMENT_SIZE == 10 * 1024 * 1024
    content = PDF + bytes(MAX_ATTACHMENT_SIZE + 1 - len(PDF))
    with translation.override(language), pytest.raises(ValidationError) as refused:
        validate_attachment(upload("big.pdf", content))
    with translation.override(language):
        message = refused.value.messages[0]
    assert "10,485,760" in message and "10,485,761" in message
    assert f"10,485,761 {unit}" in message


def test_every_bad_file_is_reported():
    files = [
        upload("a.pdf", b"text"),
        upload("b.pdf", PDF),
        upload("c.exe", b"MZ"),
    ]
    with pytest.raises(ValidationError) as refused:
        validate_attachments(files)
    assert [error.code for error in refused.value.error_list] == ["content", "type"]


def test_at_most_five_files():
    validate_attachments([upload(f"{n}.pdf", PDF) for n in range(5)])
    with pytest.raises(ValidationError) as refused:
        validate_attachments([upload(f"{n}.pdf", PDF) for n in range(6)])
    assert refused.value.code == "too_many"


def test_ole_directory_is_read_within_the_file():
    assert ole_stream_names(io.BytesIO(ole_bytes("WordDocument", "1Table"))) == {
        "WordDocument",
        "1Table",
    }
    assert ole_stream_names(io.BytesIO(b"not OLE")) == set()
    # A directory chain that loops on itself is broken: refused, not followed.
    looping = bytearray(ole_bytes("WordDocument"))
    looping[512 + 4 : 512 + 8] = (1).to_bytes(4, "little")  # FAT[1] -> 1
    with pytest.raises(ValueError):
        ole_stream_names(io.BytesIO(bytes(looping)))
    with pytest.raises(ValidationError) as refused:
        validate_attachment(upload("old.doc", bytes(looping)))
    assert refused.value.code == "content"


@pytest.fixture(scope="module")
def large_real_xls():
    """A real .xls written by xlwt, large enough (8.9 MB) that its FAT has
    more than the 109 sectors the header lists: the rest are listed in a DIFAT
    sector, and its directory lies in a sector whose FAT entry is there."""
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("訪問者")
    for row in range(30000):
        sheet.write(row, 0, f"{row:06} " + "x" * 250)  # each in the string table
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_large_real_xls_is_read_through_its_difat(large_real_xls):
    header = large_real_xls[:512]
    fat_sectors, directory_start = struct.unpack_from("<II", header, 44)
    difat_sectors = struct.unpack_from("<I", header, 72)[0]
    assert fat_sectors > 109 and difat_sectors >= 1
    assert directory_start >= 109 * 128  # its FAT entry is in the DIFAT's list
    assert ole_stream_names(io.BytesIO(large_real_xls)) == {"Workbook"}
    file = upload("figures.xls", large_real_xls)
    validate_attachment(file)
    assert file.content_type == "application/vnd.ms-excel"
