"""Checks of uploaded files (a requester's attachments, a news item's files,
a publication): by their content, never by their name.

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
import unicodedata
import zipfile
import zlib
from array import array
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedElementTree
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .archives import zip_open, zip_read
from .typography import figure

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024  # 10 MB

OOXML = "application/vnd.openxmlformats-officedocument"
CONTENT_TYPES = "[Content_Types].xml"
CONTENT_TYPES_MAX_SIZE = 1024 * 1024
# A long presentation has a few thousand parts; zipfile makes an object for
# each member as it opens an archive, so the count is checked first.
OOXML_MAX_MEMBERS = 5000
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


def sizes_told_apart(limit: int, size: int) -> dict[str, str]:
    """The limit and a file's size as people read them ("max", "size"), in
    bytes where they would read the same: a file one byte past 10 MB was
    "10.0 MB, larger than 10.0 MB"."""
    shown = {"max": filesizeformat(limit), "size": filesizeformat(size)}
    if shown["max"] != shown["size"]:
        return shown
    return {
        key: _("%(bytes)s bytes") % {"bytes": figure(value)}
        for key, value in (("max", limit), ("size", size))
    }


def validate_attachment(upload, *, max_size: int | None = MAX_ATTACHMENT_SIZE) -> None:
    """Refuse a file too large (past `max_size`; None: any size), empty, of
    a format not accepted, or whose content does not match its name."""
    name = upload.name
    if max_size is not None and upload.size > max_size:
        raise ValidationError(
            _("“%(name)s” is larger than %(max)s (%(size)s)."),
            code="too_large",
            params={"name": name, **sizes_told_apart(max_size, upload.size)},
        )
    if not upload.size:
        raise ValidationError(
            _("“%(name)s” is empty."), code="empty", params={"name": name}
        )
    # ｒｅｐｏｒｔ．ｐｄｆ, named with a full-width input method, is a .pdf.
    extension = PurePath(unicodedata.normalize("NFKC", name)).suffix.lower()
    extension = extension.removeprefix(".")
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
    except (
        OSError,
        ValueError,
        EOFError,
        struct.error,
        zlib.error,
        # zipfile's answer to a member it cannot read (a password, a method
        # it does not know): not a file of the format, never a 500.
        RuntimeError,
        NotImplementedError,
    ):
        return False
    finally:
        upload.seek(0)


def _signature_matches(file, expects) -> bool:
    kind = filetype.guess(file.read(8192))
    return kind is not None and kind.mime in expects


def _ooxml_matches(file, expects) -> bool:
    """A zip whose [Content_Types].xml declares the expected main part (a
    macro-enabled document declares another type, so it is refused too).

    Bounded: the member count is read from the archive's last record before
    zipfile lists the members, at most CONTENT_TYPES_MAX_SIZE bytes are
    inflated whatever the member's header says, and the XML is parsed by
    defusedxml, which refuses entity declarations (billion laughs)."""
    if file.read(4) != b"PK\x03\x04":
        return False
    try:
        with zip_open(file, max_members=OOXML_MAX_MEMBERS) as archive:
            content_types = zip_read(
                archive, CONTENT_TYPES, max_size=CONTENT_TYPES_MAX_SIZE
            )
        root = DefusedElementTree.fromstring(content_types)
    except (
        zipfile.BadZipFile,
        KeyError,
        DefusedElementTree.ParseError,
        DefusedXmlException,
    ):
        return False
    declared = {element.get("ContentType") for element in root}
    return any(content_type in declared for content_type in expects)


def _ole_matches(file, expects) -> bool:
    # The whole directory is read (a broken chain refuses the file), one name
    # at a time: only whether one is expected is kept.
    found = False
    for name in ole_entry_names(file):
        found = found or name in expects
    return found


FREESECT, ENDOFCHAIN = 0xFFFFFFFF, 0xFFFFFFFE
MAX_SECTOR = 0xFFFFFFFA  # above: special values (FAT, DIFAT, end, free)
STORAGE, STREAM = 1, 2
HEADER_FAT_SECTORS = 109  # the first FAT sectors are listed in the header


def ole_stream_names(file) -> set[str]:
    """The names of the storages and streams in an OLE compound file (MS-CFB),
    read from its directory; an empty set when the file is not one. Raises
    ValueError when a chain of sectors is broken (see ole_entry_names)."""
    return set(ole_entry_names(file))


def ole_entry_names(file):
    """Yield the names of the storages and streams in an OLE compound file's
    directory, as they are read; nothing when the file is not one.

    Bounded by the file's own size, whatever its header says: every chain
    visits each sector at most once (a sector seen twice, or one outside the
    file, raises ValueError), the list of FAT sectors holds at most one number
    per sector of the file, and the FAT itself is never loaded: the entry of
    sector s is read from FAT sector s // entries-per-sector when the
    directory chain needs it."""
    header = file.read(512)
    if len(header) < 512 or header[:8] != OLE_SIGNATURE:
        return
    sector_shift = struct.unpack_from("<H", header, 30)[0]
    if sector_shift not in (9, 12):
        return
    sector_size = 1 << sector_shift
    entries_per_sector = sector_size // 4
    file.seek(0, 2)
    sector_count = max(file.tell() // sector_size - 1, 0)
    (fat_sector_count,) = struct.unpack_from("<I", header, 44)
    (directory_start,) = struct.unpack_from("<I", header, 48)
    (difat_start,) = struct.unpack_from("<I", header, 68)

    def sector_offset(number):
        if number >= sector_count:
            raise ValueError("sector out of the file")
        return (number + 1) << sector_shift

    def read_sector(number):
        file.seek(sector_offset(number))
        data = file.read(sector_size)
        if len(data) != sector_size:
            raise ValueError("truncated sector")
        return data

    fat_sectors = array("I")
    listed = set()

    def list_fat_sectors(numbers):
        for number in numbers:
            if len(fat_sectors) >= fat_sector_count:
                return
            if number > MAX_SECTOR:
                continue  # an unused slot
            if number >= sector_count or number in listed:
                raise ValueError("broken FAT sector list")
            listed.add(number)
            fat_sectors.append(number)

    list_fat_sectors(struct.unpack_from(f"<{HEADER_FAT_SECTORS}I", header, 76))
    difat_sector, difat_seen = difat_start, set()
    while difat_sector <= MAX_SECTOR and len(fat_sectors) < fat_sector_count:
        if difat_sector in difat_seen:
            raise ValueError("DIFAT chain loops")
        difat_seen.add(difat_sector)
        values = struct.unpack(f"<{entries_per_sector}I", read_sector(difat_sector))
        list_fat_sectors(values[:-1])
        difat_sector = values[-1]

    def next_sector(number):
        index, slot = divmod(number, entries_per_sector)
        if index >= len(fat_sectors):
            raise ValueError("sector beyond the FAT")
        file.seek(sector_offset(fat_sectors[index]) + 4 * slot)
        return struct.unpack("<I", file.read(4))[0]

    sector, directory_seen = directory_start, set()
    while sector != ENDOFCHAIN:
        if sector > MAX_SECTOR or sector in directory_seen:
            raise ValueError("broken directory chain")
        directory_seen.add(sector)
        data = read_sector(sector)
        for offset in range(0, sector_size, 128):
            name_length, entry_type = struct.unpack_from("<HB", data, offset + 64)
            if entry_type in (STORAGE, STREAM) and 2 <= name_length <= 64:
                raw = data[offset : offset + name_length - 2]
                yield raw.decode("utf-16-le", errors="replace")
        sector = next_sector(sector)
