"""Crafted uploads: every parser of uploaded bytes is bounded in memory and
time, and the file is refused with the portal's message.

The public attachment checks (no sign-in needed) are measured in a child
process under an address-space limit of 1 GiB above what it already uses, so
that an unbounded parser fails there instead of eating the machine's memory;
the pages (the public request form, the admin's photo form and import page)
are measured in this process with tracemalloc, under the same kind of guard.
"""

import bz2
import html
import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from clair_portal.foundation.models import JapaneseLocalGovernment, Photo
from seminars.models import Seminar
from support_requests.models import SupportRequest
from tests.bounds import GUARD, MiB, figures_of_child, measured
from tests.support_requests.helpers import (
    OOXML,
    activity_data,
    ole_bytes,
    private_storage_at,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["ja", "zh-hans"]
MAX_EXTRA_MEMORY = 50 * MiB
MAX_SECONDS = 2
NOT_A_REAL = (
    "“%(name)s” is not a real %(format)s file: its content does not match its name."
)


# Crafted files ----------------------------------------------------------------------


def ole_bomb(size):
    """An OLE file of `size` bytes whose DIFAT chain loops on itself and
    lists the same FAT sector over and over, with a FAT sector count of 2**32
    - 1: a reader that builds the FAT from that list holds 128 numbers per
    entry, about 260,000 entries per MiB of file."""
    fat_sector, loop = 1, 0
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 44, 0xFFFFFFFF, 2, 0)  # FAT count, directory
    struct.pack_into("<II", header, 68, loop, 0xFFFFFFFF)  # DIFAT start, count
    struct.pack_into("<109I", header, 76, *[fat_sector] * 109)
    difat = struct.pack("<128I", *[fat_sector] * 127, loop)
    fat = struct.pack("<128I", *[0xFFFFFFFF] * 128)
    directory = ole_bytes()[1024:1536]  # the root entry alone
    body = header + difat + fat + directory
    return bytes(body) + bytes(size - len(body))


def zip_bytes(members, *, zip64=False, local=None):
    """A zip built by hand: `members` are (name, data as stored, method,
    declared size, crc); every central entry may point at the same local
    header (offset 0), as a crafted archive's do."""
    shared = local is not None
    local = bytearray(local or b"")
    central = bytearray()
    offsets = {}
    for name, data, method, declared, crc in members:
        encoded = name.encode()
        if shared:
            offsets[encoded] = 0
        elif encoded not in offsets:
            offsets[encoded] = len(local)
            local += struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 46, 0, method, 0, 0,
                crc, len(data), declared, len(encoded), 0,
            )  # fmt: skip
            local += encoded + data
        central += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 46, 46, 0, method, 0, 0,
            crc, len(data), declared, len(encoded), 0, 0, 0, 0, 0, offsets[encoded],
        )  # fmt: skip
        central += encoded
    count = len(members)
    end = b""
    if zip64:
        record_at = len(local) + len(central)
        end += struct.pack(
            "<4sQ2H2L4Q", b"PK\x06\x06", 44, 46, 46, 0, 0,
            count, count, len(central), len(local),
        )  # fmt: skip
        end += struct.pack("<4sLQL", b"PK\x06\x07", 0, record_at, 1)
        end += struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF,
            0xFFFFFFFF, 0xFFFFFFFF, 0,
        )  # fmt: skip
    else:
        end += struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, count, count,
            len(central), len(local), 0,
        )  # fmt: skip
    return bytes(local + central + end)


def many_members(count, *, zip64=False):
    """A docx whose central directory lists `count` members, every one of
    them the same local entry (as crafted archives do, to stay small)."""
    local = (
        struct.pack("<4s5H3L2H", b"PK\x03\x04", 46, 0, 0, 0, 0, 0, 0, 0, 5, 0)
        + b"00000"
    )
    return zip_bytes(
        [(f"{n:05x}", b"", zipfile.ZIP_STORED, 0, 0) for n in range(count)],
        zip64=zip64,
        local=local,
    )


def deflated(data):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def lying_content_types(method):
    """A docx whose [Content_Types].xml says it is 1,000 bytes and inflates
    to 96 MiB."""
    inflated = bytes(96 * MiB)
    if method == zipfile.ZIP_BZIP2:
        data = bz2.compress(inflated, 9)
    else:
        data = deflated(inflated)
    crc = zlib.crc32(inflated)
    return zip_bytes([("[Content_Types].xml", data, method, 1000, crc)])


def billion_laughs():
    """A docx whose [Content_Types].xml defines nested entities (10**9 "lol"s)."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE Types [{entities}]>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" ContentType="&lol9;"/></Types>'
    )
    return content_types_docx(xml)


def entity_content_type():
    """A docx that names its main part's type through an entity: valid XML,
    expanded by a parser that allows entities, refused by defusedxml."""
    xml = (
        '<?xml version="1.0"?>'
        f'<!DOCTYPE Types [<!ENTITY main "{OOXML}.wordprocessingml.document.main+xml">]>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" ContentType="&main;"/></Types>'
    )
    return content_types_docx(xml)


def content_types_docx(xml):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", xml)
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def encrypted_docx():
    """A .docx whose members say they are encrypted (zipfile then wants a
    password: RuntimeError, a 500 before)."""
    data = bytearray(content_types_docx(DOCX_CONTENT_TYPES))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + flag_offset] |= 0x1
            start = data.find(signature, start + 4)
    return bytes(data)


DOCX_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def png_declaring(width, height):
    """A PNG of a few bytes whose header declares `width` x `height` pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(bytes(1024)))
        + chunk(b"IEND", b"")
    )


def xlsx_with_sheet(sheet_xml):
    """A workbook (written by openpyxl) whose first sheet is `sheet_xml`."""
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "code"
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, sheet_xml)
            else:
                archive.writestr(info.filename, source.read(info))
    return out.getvalue()


def sheet(rows_xml, last_row):
    """A sheet's XML: the header row, then `rows_xml`; its dimension record
    says it ends at `last_row`, as spreadsheet programs write it."""
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:A{last_row}"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'
        f"{rows_xml}</sheetData></worksheet>"
    ).encode()


def million_rows_of_numbers():
    return xlsx_with_sheet(sheet("<row><c><v>1</v></c></row>" * 1_000_000, 1_000_001))


def half_a_million_blank_rows():
    return xlsx_with_sheet(sheet("<row/>" * 500_000, 500_001))


def row_numbered_a_million():
    return xlsx_with_sheet(
        sheet('<row r="1000000"><c r="A1000000"><v>1</v></c></row>', 1_000_000)
    )


def csv_rows(count):
    lines = ["code,name_ja"] + [f"{99000 + n},x" for n in range(count)]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


# Measuring ----------------------------------------------------------------------------


def assert_bounded(figures):
    assert figures["peak"] < MAX_EXTRA_MEMORY, f"{figures['peak'] / MiB:.0f} MiB"
    assert figures["seconds"] < MAX_SECONDS, f"{figures['seconds']:.1f} s"


CHILD = """
import json, resource, sys, time
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from clair_portal.foundation.file_checks import validate_attachment

path, name, guard = sys.argv[1], sys.argv[2], int(sys.argv[3])
upload = SimpleUploadedFile(name, open(path, "rb").read())
def status(field):  # kB; VmHWM starts anew at exec, unlike ru_maxrss
    line = next(x for x in open("/proc/self/status") if x.startswith(field + ":"))
    return int(line.split()[1]) * 1024

size, resident = status("VmSize"), status("VmRSS")
resource.setrlimit(resource.RLIMIT_AS, (size + guard, resource.RLIM_INFINITY))
start = time.perf_counter()
try:
    validate_attachment(upload)
    code = None
except ValidationError as error:
    code = error.code
seconds = time.perf_counter() - start
peak = status("VmHWM")
print(json.dumps({"code": code, "extra": peak - resident, "seconds": seconds}))
"""


def check_in_child(tmp_path, name, content):
    """validate_attachment in a child process with GUARD more address space
    than it has once loaded: its result, peak memory above that, seconds."""
    path = tmp_path / name
    path.write_bytes(content)
    figures = figures_of_child(CHILD, str(path), name, str(GUARD))
    print(f"{name}: {figures}")
    return figures


# Attachments (public, no sign-in) ------------------------------------------------------

CRAFTED_ATTACHMENTS = {
    "OLE DIFAT loop, 1 MiB": ("old.doc", lambda: ole_bomb(1 * MiB)),
    "OLE DIFAT loop, near 10 MiB": ("old.doc", lambda: ole_bomb(10 * MiB - 512)),
    "zip of 65,000 members": ("minutes.docx", lambda: many_members(65_000)),
    "ZIP64 of 190,000 members": (
        "minutes.docx",
        lambda: many_members(190_000, zip64=True),
    ),
    "size header lies, bzip2": (
        "minutes.docx",
        lambda: lying_content_types(zipfile.ZIP_BZIP2),
    ),
    "size header lies, deflate": (
        "minutes.docx",
        lambda: lying_content_types(zipfile.ZIP_DEFLATED),
    ),
    "billion laughs": ("minutes.docx", billion_laughs),
    "entity in [Content_Types].xml": ("minutes.docx", entity_content_type),
    "encrypted members": ("minutes.docx", encrypted_docx),
}


@pytest.mark.parametrize("case", list(CRAFTED_ATTACHMENTS))
def test_crafted_attachment_is_refused_within_bounds(tmp_path, case):
    name, build = CRAFTED_ATTACHMENTS[case]
    content = build()
    assert len(content) <= 10 * MiB  # within the upload limit
    figures = check_in_child(tmp_path, name, content)
    assert figures["code"] == "content"
    assert figures["extra"] < MAX_EXTRA_MEMORY, f"{figures['extra'] / MiB:.0f} MiB"
    assert figures["seconds"] < MAX_SECONDS


@pytest.fixture
def private_media(settings, tmp_path):
    caches["ratelimit"].clear()
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with private_storage_at(tmp_path / "private") as path:
        yield path
    caches["ratelimit"].clear()


FORM_CASES = {
    "OLE DIFAT loop": ("old.doc", "Word", lambda: ole_bomb(1 * MiB)),
    "zip of 65,000 members": ("minutes.docx", "Word", lambda: many_members(65_000)),
    "billion laughs": ("minutes.docx", "Word", billion_laughs),
    "encrypted members": ("minutes.docx", "Word", encrypted_docx),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(FORM_CASES))
def test_public_form_refuses_crafted_attachment(client, private_media, language, case):
    name, label, build = FORM_CASES[case]
    data = activity_data(attachments=[upload(name, build())])
    # The first refusal loads templates, catalogs and modules: not measured.
    refused = activity_data(attachments=[upload("notes.pdf", b"text")])
    client.post(f"/{language}/support/request/", refused)
    with measured() as figures:
        response = client.post(f"/{language}/support/request/", data)
    assert response.status_code == 200
    with translation.override(language):
        message = gettext(NOT_A_REAL) % {"name": name, "format": label}
    assert message in html.unescape(response.content.decode())
    assert SupportRequest.objects.count() == 0
    assert stored_files(private_media) == []
    assert_bounded(figures)


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


# Photos (admin, Pillow) -----------------------------------------------------------------


def set_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


PIXELS_SAID = {
    "JPEG": (
        "This image has too many pixels (at most %(max)s). "
        "Make it smaller and upload it again.",
        "40,000,000",
    ),
    "PNG": (
        "This PNG image has too many pixels (at most %(max)s). Save a photo "
        "as JPEG, or make the image smaller, and upload it again.",
        "12,000,000",
    ),
    "progressive JPEG": (
        "This JPEG is saved as progressive and has too many pixels for that "
        "(at most %(max)s). Save it again without the progressive option, "
        "or make it smaller, and upload it again.",
        "12,000,000",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "image_format, width, height",
    [
        ("PNG", 100_000, 100_000),  # past twice Pillow's limit
        ("PNG", 8_000, 8_000),  # past Pillow's limit
        ("PNG", 4_000, 3_001),  # past a PNG's
        ("JPEG", 100_000, 100_000),
        ("JPEG", 8_000, 8_000),
        ("progressive JPEG", 4_000, 3_001),  # past a progressive JPEG's limit
    ],
    ids=[
        "png far past the limit",
        "png past the limit",
        "png past a png's limit",
        "jpeg far past the limit",
        "jpeg past the limit",
        "progressive jpeg past its limit",
    ],
)
def test_admin_photo_form_refuses_a_pixel_bomb(
    admin_client, language, image_format, width, height
):
    set_language(admin_client, language)
    content_type = ContentType.objects.get_for_model(JapaneseLocalGovernment)
    if image_format == "PNG":
        data, name = png_declaring(width, height), "bomb.png"
    else:
        progressive = image_format == "progressive JPEG"
        data, name = jpeg_declaring(width, height, progressive), "bomb.jpg"
    assert len(data) < 2000
    photos = Photo.objects.count()
    admin_client.get(reverse("admin:clair_portal_photo_add"))  # not measured
    with measured() as figures:
        response = admin_client.post(
            reverse("admin:clair_portal_photo_add"),
            {
                "content_type": content_type.pk,
                "object_id": JapaneseLocalGovernment.objects.first().pk,
                "image": SimpleUploadedFile(name, data),
                "caption_ja": "爆弾",
                "caption_zh_hans": "炸弹",
                "position": 0,
            },
        )
    assert response.status_code == 200
    said, limit = PIXELS_SAID[image_format]
    with translation.override(language):
        message = gettext(said) % {"max": limit}
    assert message in html.unescape(response.content.decode())
    assert Photo.objects.count() == photos
    assert_bounded(figures)


def jpeg_declaring(width, height, progressive=False):
    """A JPEG of a few hundred bytes whose frame header declares `width` x
    `height` pixels (at most 65,535 each: a JPEG's limit)."""
    small = image_bytes("JPEG", (8, 8), progressive=progressive)
    marker = b"\xff\xc2" if progressive else b"\xff\xc0"  # SOF2, SOF0
    at = small.index(marker) + 5  # length (2), precision (1), then the size
    return (
        small[:at]
        + struct.pack(">HH", min(height, 65535), min(width, 65535))
        + small[at + 4 :]
    )


def image_bytes(image_format, size=(64, 48), **options):
    buffer = io.BytesIO()
    mode = "RGB" if image_format in {"JPEG", "EPS", "BMP"} else "RGBA"
    Image.new(mode, size, "#1d4f91").save(buffer, image_format, **options)
    return buffer.getvalue()


def post_photo(admin_client, name, data):
    seminar = Seminar.objects.order_by("pk").first()
    return admin_client.post(
        reverse("admin:clair_portal_photo_add"),
        {
            "content_type": ContentType.objects.get_for_model(Seminar).pk,
            "object_id": seminar.pk,
            "image": SimpleUploadedFile(name, data),
            "caption_ja": "写真",
            "caption_zh_hans": "照片",
            "position": 0,
        },
    )


PHOTO_SAID = {
    "not_jpeg_or_png": {
        "ja": "JPEGまたはPNGの画像（ファイル名の末尾が .jpg、.jpeg、.png のもの）をアップロードしてください。",
        "zh-hans": "请上传JPEG或PNG图片（文件名以 .jpg、.jpeg 或 .png 结尾）。",
    },
    "truncated": {
        "ja": "この画像ファイルは途中で切れています。ファイル全体をもう一度アップロードしてください。",
        "zh-hans": "该图片文件不完整（缺少结尾部分）。请重新上传完整的文件。",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("name", "make", "said"),
    [
        ("scan.tiff", lambda: image_bytes("TIFF"), "not_jpeg_or_png"),
        ("scan.gif", lambda: image_bytes("GIF"), "not_jpeg_or_png"),
        ("scan.webp", lambda: image_bytes("WEBP"), "not_jpeg_or_png"),
        ("scan.bmp", lambda: image_bytes("BMP"), "not_jpeg_or_png"),
        ("scan.eps", lambda: image_bytes("EPS"), "not_jpeg_or_png"),
        # A JPEG under a PNG's name: served as what its name says.
        ("photo.png", lambda: image_bytes("JPEG"), "not_jpeg_or_png"),
        ("photo.jpg", lambda: image_bytes("JPEG", (640, 480))[:-2000], "truncated"),
        ("photo.png", lambda: image_bytes("PNG", (640, 480))[:-12], "truncated"),
        ("photo.png", lambda: image_bytes("PNG", (640, 480))[:-500], "truncated"),
    ],
    ids=[
        *["tiff", "gif", "webp", "bmp", "eps", "jpeg named png"],
        *["cut jpeg", "png without its end", "cut png"],
    ],
)
def test_a_photo_is_a_whole_jpeg_or_png(admin_client, language, name, make, said):
    """The field said "JPEG or PNG" and took any of Pillow's formats (EPS
    runs through Ghostscript where it is installed), and took files cut short,
    which never got a thumbnail: the public page drew broken images."""
    set_language(admin_client, language)
    photos = Photo.objects.count()
    response = post_photo(admin_client, name, make())
    assert response.status_code == 200
    assert PHOTO_SAID[said][language] in html.unescape(response.content.decode())
    assert Photo.objects.count() == photos


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.jpg", image_bytes("JPEG")),
        ("PHOTO.JPEG", image_bytes("JPEG")),
        ("photo.jpg", image_bytes("JPEG") + b"\x00" * 300),  # a camera's padding
        ("photo.png", image_bytes("PNG")),
    ],
    ids=["jpg", "upper-case jpeg", "padded jpeg", "png"],
)
def test_a_whole_jpeg_or_png_is_taken(admin_client, settings, tmp_path, name, data):
    settings.MEDIA_ROOT = tmp_path
    response = post_photo(admin_client, name, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Photo.objects.filter(caption_ja="写真").exists()


# Imports (admin) -------------------------------------------------------------------------

CSV_CHOICE, XLSX_CHOICE = "0", "1"


def rows_message():
    return gettext(
        "The file has more than %(max)d rows. Import at most %(max)d rows at a "
        "time: split the file and import the parts one after another."
    ) % {"max": settings.IMPORT_MAX_ROWS}


def inflated_message():
    return gettext(
        "The workbook is larger than %(max)s once unpacked. Split it and import "
        "the parts one after another."
    ) % {"max": filesizeformat(settings.IMPORT_MAX_INFLATED_SIZE)}


def oversized_message(size):
    return gettext(
        "The file is larger than %(max)s (%(size)s). Split it and import the "
        "parts one after another."
    ) % {"max": filesizeformat(settings.IMPORT_MAX_SIZE), "size": filesizeformat(size)}


OVERSIZED_CSV = csv_rows(300_000)

IMPORT_CASES = {
    "XLSX, a million rows of numbers": (
        XLSX_CHOICE,
        "places.xlsx",
        million_rows_of_numbers,
        inflated_message,
    ),
    "XLSX, half a million blank rows": (
        XLSX_CHOICE,
        "places.xlsx",
        half_a_million_blank_rows,
        rows_message,
    ),
    "XLSX, one row numbered a million": (
        XLSX_CHOICE,
        "places.xlsx",
        row_numbered_a_million,
        rows_message,
    ),
    "CSV, one row more than the limit": (
        CSV_CHOICE,
        "places.csv",
        lambda: csv_rows(settings.IMPORT_MAX_ROWS + 1),
        rows_message,
    ),
    "CSV, larger than the limit": (
        CSV_CHOICE,
        "places.csv",
        lambda: OVERSIZED_CSV,
        lambda: oversized_message(len(OVERSIZED_CSV)),
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(IMPORT_CASES))
def test_admin_import_refuses_a_file_past_the_limits(admin_client, language, case):
    file_format, name, build, message = IMPORT_CASES[case]
    content = build()
    places = JapaneseLocalGovernment.objects.count()
    set_language(admin_client, language)
    admin_client.get(reverse("admin:clair_portal_japaneselocalgovernment_import"))
    with measured() as figures:
        response = admin_client.post(
            reverse("admin:clair_portal_japaneselocalgovernment_import"),
            {
                "resource": "0",
                "format": file_format,
                "import_file": SimpleUploadedFile(name, content),
            },
        )
    assert response.status_code == 200
    with translation.override(language):
        expected = message()
    assert expected in html.unescape(response.content.decode())
    assert JapaneseLocalGovernment.objects.count() == places
    assert_bounded(figures)
