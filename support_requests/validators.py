"""Checks of the files a requester sends: by their content, never by their name.

A file is accepted when its extension is one of the accepted formats and its
bytes are what that extension says: the signature of a PDF, JPEG or PNG
(filetype); for Word, Excel and PowerPoint 2007+ a zip whose
[Content_Types].xml declares the matching main document; for the legacy
.doc, .xls and .ppt an OLE compound file that holds the matching stream
(WordDocument, Workbook, PowerPoint Document). An .exe or a text file renamed
.pdf, a PNG renamed .docx, or an installer (an OLE file too) renamed .doc is
refused.
"""

import struct
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from xml.etree import ElementTree

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024  # 10 MB

OOXML = "application/vnd.openxmlformats-officedocument"
CONTENT_TYPES = "[Content_Types].xml"
CONTENT_TYPES_MAX_SIZE = 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Format:
    label: str  # shown in messages: "PDF", "Word"...
    mime: str  # stored as the attachment's type, whatever the browser said
    check: str  # "signature", "ooxml" or "ole"
    # signature: the MIME type filetype must find; ooxml: the main part's
    # content type; ole: the names of the streams of which one must exist.
    expects: tuple[str, ...]


FORMATS = {
    "pdf": Format("PDF", "application/pdf", "signature", ("application/pdf",)),
    "jpg": Format("JPEG", "image/jpeg", "signature", ("image/jpeg",)),
    "jpeg": Format("JPEG", "image/jpeg", "signature", ("image/jpeg",)),
    "png": Format("PNG", "image/png", "signature", ("image/png",)),
    "docx": Format(
        "Word",
        f"{OOXML}.wordprocessingml.document",
        "ooxml",
        (f"{OOXML}.wordprocessingml.document.main+xml",),
    ),
    "xlsx": Format(
        "Excel",
        f"{OOXML}.spreadsheetml.sheet",
        "ooxml",
        (f"{OOXML}.spreadsheetml.sheet.main+xml",),
    ),
    "pptx": Format(
        "PowerPoint",
        f"{OOXML}.presentationml.presentation",
        "ooxml",
        (f"{OOXML}.presentationml.presentation.main+xml",),
    ),
    "doc": Format("Word", "application/msword", "ole", ("WordDocument",)),
    "xls": Format("Excel", "application/vnd.ms-excel", "ole", ("Workbook", "Book")),
    "ppt": Format(
        "PowerPoint", "application/vnd.ms-powerpoint", "ole", ("PowerPoint Document",)
    ),
}
ACCEPT = ",".join(f".{extension}" for extension in FORMATS)


def validate_attachments(uploads) -> None:
    """Refuse more than MAX_ATTACHMENTS files, or any file that is too large,
    empty, of a format not accepted, or whose content does not match its name.
    Every problem is reported, each naming its file. Sets each upload's
    content_type to the type found in it."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("Attach at most %(max)d files (you chose %(count)d)."),
            code="too_many",
            params={"max": MAX_ATTACHMENTS, "count": len(uploads)},
        )
    errors = []
    for upload in uploads:
        try:
            validate_attachment(upload)
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)


def validate_attachment(upload) -> None:
    name = upload.name
    if upload.size > MAX_ATTACHMENT_SIZE:
        raise ValidationError(
            _("“%(name)s” is larger than %(max)s (%(size)s)."),
            code="too_large",
            params={
                "name": name,
                "max": filesizeformat(MAX_ATTACHMENT_SIZE),
                "size": filesizeformat(upload.size),
            },
        )
    if not upload.size:
        raise ValidationError(
            _("“%(name)s” is empty."), code="empty", params={"name": name}
        )
    extension = PurePath(name).suffix.lower().removeprefix(".")
    file_format = FORMATS.get(extension)
    if file_format is None:
        raise ValidationError(
            _(
                "“%(name)s” is not of an accepted type. Send PDF, Word, Excel, "
                "PowerPoint, JPEG or PNG files."
            ),
            code="type",
            params={"name": name},
        )
    if not content_matches(upload, file_format):
        raise ValidationError(
            _(
                "“%(name)s” is not a real %(format)s file: its content does not "
                "match its name."
            ),
            code="content",
            params={"name": name, "format": file_format.label},
        )
    upload.content_type = file_format.mime


def content_matches(upload, file_format: Format) -> bool:
    check = {
        "signature": _signature_matches,
        "ooxml": _ooxml_matches,
        "ole": _ole_matches,
    }[file_format.check]
    try:
        upload.seek(0)
        return check(upload, file_format.expects)
    except (OSError, ValueError, EOFError, struct.error):
        return False
    finally:
        upload.seek(0)


def _signature_matches(file, expects) -> bool:
    kind = filetype.guess(file.read(8192))
    return kind is not None and kind.mime in expects


def _ooxml_matches(file, expects) -> bool:
    """A zip whose [Content_Types].xml declares the expected main part (a
    macro-enabled document declares another type, so it is refused too)."""
    if file.read(4) != b"PK\x03\x04":
        return False
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            info = archive.getinfo(CONTENT_TYPES)
            if info.file_size > CONTENT_TYPES_MAX_SIZE:
                return False
            root = ElementTree.fromstring(archive.read(info))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return False
    declared = {element.get("ContentType") for element in root}
    return any(content_type in declared for content_type in expects)


def _ole_matches(file, expects) -> bool:
    return bool(ole_stream_names(file) & set(expects))


FREESECT, ENDOFCHAIN = 0xFFFFFFFF, 0xFFFFFFFE
MAX_SECTOR = 0xFFFFFFFA  # above: special values (FAT, DIFAT, end, free)
STORAGE, STREAM = 1, 2


def ole_stream_names(file) -> set[str]:
    """The names of the storages and streams in an OLE compound file (MS-CFB),
    read from its directory; an empty set when the file is not one.

    Only the header, the FAT and the directory sectors are read; every chain
    is bounded by the file's size, so a crafted file cannot loop."""
    header = file.read(512)
    if len(header) < 512 or header[:8] != OLE_SIGNATURE:
        return set()
    sector_shift = struct.unpack_from("<H", header, 30)[0]
    if sector_shift not in (9, 12):
        return set()
    sector_size = 1 << sector_shift
    file.seek(0, 2)
    sector_count = max(file.tell() // sector_size - 1, 0)
    (fat_sector_count,) = struct.unpack_from("<I", header, 44)
    (directory_start,) = struct.unpack_from("<I", header, 48)
    difat_start, difat_count = struct.unpack_from("<II", header, 68)

    def read_sector(number):
        if number >= sector_count:
            raise ValueError("sector out of the file")
        file.seek((number + 1) << sector_shift)
        data = file.read(sector_size)
        if len(data) != sector_size:
            raise ValueError("truncated sector")
        return data

    entries_per_sector = sector_size // 4
    fat_sectors = list(struct.unpack_from("<109I", header, 76))
    next_difat = difat_start
    for _hop in range(min(difat_count, sector_count)):
        if next_difat > MAX_SECTOR:
            break
        values = struct.unpack(f"<{entries_per_sector}I", read_sector(next_difat))
        fat_sectors.extend(values[:-1])
        next_difat = values[-1]
    fat_sectors = [n for n in fat_sectors if n <= MAX_SECTOR][:fat_sector_count]
    fat = []
    for number in fat_sectors:
        fat.extend(struct.unpack(f"<{entries_per_sector}I", read_sector(number)))

    names = set()
    sector = directory_start
    for _hop in range(sector_count):
        if sector == ENDOFCHAIN:
            break
        if sector > MAX_SECTOR or sector >= len(fat):
            raise ValueError("broken directory chain")
        data = read_sector(sector)
        for offset in range(0, sector_size, 128):
            name_length, entry_type = struct.unpack_from("<HB", data, offset + 64)
            if entry_type in (STORAGE, STREAM) and 2 <= name_length <= 64:
                raw = data[offset : offset + name_length - 2]
                names.add(raw.decode("utf-16-le", errors="replace"))
        sector = fat[sector]
    return names
