"""Zip archives from outside (uploaded OOXML documents, imported workbooks),
opened with bounds on what reading them can cost.

`zipfile` reads the whole central directory and makes an object for each
member as it opens an archive, whatever the count: a 10 MiB file can declare
about 200,000 members. `zip_open` reads the end-of-central-directory record
first and opens only an archive whose member count and directory size are
within bounds. A member's header may lie about its size: `zip_read` inflates
at most the bytes asked for, and only the methods whose output `zipfile`
bounds (stored, deflated; a few bytes of bzip2 or LZMA can inflate to
gigabytes in one call).
"""

import struct
import zipfile

END_OF_CENTRAL_DIRECTORY = struct.Struct("<4s4H2LH")
END_OF_CENTRAL_DIRECTORY_SIGNATURE = b"PK\x05\x06"
ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
ZIP64_LOCATOR_SIZE = 20
MAX_COMMENT_SIZE = 0xFFFF
# A member's central directory header is 46 bytes and its name; Office
# documents' names are short ("xl/worksheets/sheet12.xml").
CENTRAL_DIRECTORY_BYTES_PER_MEMBER = 128
BOUNDED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class ArchiveTooLarge(ValueError):
    """The archive declares more members, or bigger ones, than allowed."""


def zip_member_count(file) -> tuple[int, int]:
    """The member count and central directory size that the archive's
    end-of-central-directory record declares. Raises zipfile.BadZipFile when
    there is no such record, ArchiveTooLarge for a ZIP64 archive (its counts
    are elsewhere, and no document within the upload limits needs one)."""
    file.seek(0, 2)
    size = file.tell()
    tail_start = max(size - END_OF_CENTRAL_DIRECTORY.size - MAX_COMMENT_SIZE, 0)
    file.seek(tail_start)
    tail = file.read()
    found = tail.rfind(END_OF_CENTRAL_DIRECTORY_SIGNATURE)
    if found < 0 or len(tail) - found < END_OF_CENTRAL_DIRECTORY.size:
        raise zipfile.BadZipFile("no end of central directory")
    record = END_OF_CENTRAL_DIRECTORY.unpack_from(tail, found)
    members, directory_size = record[4], record[5]
    record_at = tail_start + found
    if record_at >= ZIP64_LOCATOR_SIZE:
        file.seek(record_at - ZIP64_LOCATOR_SIZE)
        if file.read(4) == ZIP64_LOCATOR_SIGNATURE:
            raise ArchiveTooLarge("ZIP64 archive")
    return members, directory_size


def zip_open(file, *, max_members: int) -> zipfile.ZipFile:
    """`file` as a ZipFile, opened only when it declares at most `max_members`
    members in a central directory of a matching size. Raises ArchiveTooLarge
    otherwise, zipfile.BadZipFile when it is not a zip."""
    members, directory_size = zip_member_count(file)
    if (
        members > max_members
        or directory_size > max_members * CENTRAL_DIRECTORY_BYTES_PER_MEMBER
    ):
        raise ArchiveTooLarge(f"{members} members in {directory_size} bytes")
    file.seek(0)
    return zipfile.ZipFile(file)


def zip_check_sizes(archive: zipfile.ZipFile, *, max_total_size: int) -> None:
    """Raise ArchiveTooLarge unless every member is stored or deflated and
    their declared sizes add up to at most `max_total_size`. zipfile never
    inflates a deflated member past its declared size, so these bound what
    any reader of the archive (openpyxl) can inflate."""
    total = 0
    for info in archive.infolist():
        if info.compress_type not in BOUNDED_METHODS:
            raise ArchiveTooLarge(f"{info.filename}: compression {info.compress_type}")
        total += info.file_size
        if total > max_total_size:
            raise ArchiveTooLarge(f"more than {max_total_size} bytes inflated")


# The general purpose flag's bit of an encrypted member (APPNOTE 4.4.4).
ENCRYPTED = 0x1


def zip_read(archive: zipfile.ZipFile, name: str, *, max_size: int) -> bytes:
    """The member `name`, inflated; ArchiveTooLarge when it holds more than
    `max_size` bytes, whatever its header says. KeyError when it is absent."""
    info = archive.getinfo(name)
    if info.flag_bits & ENCRYPTED:
        # zipfile would ask for a password (RuntimeError): an Office document
        # protected with a password is refused, not opened.
        raise ArchiveTooLarge(f"{name}: encrypted")
    if info.compress_type not in BOUNDED_METHODS or info.file_size > max_size:
        raise ArchiveTooLarge(f"{name}: {info.file_size} bytes")
    with archive.open(info) as member:
        data = member.read(max_size + 1)
    if len(data) > max_size:
        raise ArchiveTooLarge(f"{name}: more than {max_size} bytes")
    return data
