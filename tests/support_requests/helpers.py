"""What the support request tests share: sample files (real and disguised),
form data, a private storage in a temporary directory, and an SMTP server on
loopback (aiosmtpd) that keeps what it receives."""

import contextlib
import datetime
import email
import io
import socket
import struct
import zipfile
from email import policy

from aiosmtpd.controller import Controller
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from clair_portal.foundation.models import (
    JapaneseLocalGovernment,
)
from experts.models import ExpertField
from support_requests.models import RequestAttachment, SupportService

# Sample files ------------------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
OOXML = "application/vnd.openxmlformats-officedocument"
DOCX_MAIN = f"{OOXML}.wordprocessingml.document.main+xml"


def image_bytes(image_format):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#1d4f91").save(buffer, image_format)
    return buffer.getvalue()


def ooxml_bytes(main_part="/word/document.xml", main_type=DOCX_MAIN):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="{main_part}" ContentType="{main_type}"/>'
            "</Types>",
        )
        archive.writestr(main_part.lstrip("/"), "<document/>")
    return buffer.getvalue()


def xlsx_bytes():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "訪問者数"
    workbook.save(buffer)
    return buffer.getvalue()


def ole_bytes(*stream_names):
    """A minimal OLE compound file (MS-CFB, 512-byte sectors): the header, one
    FAT sector and one directory sector with the root and the named streams."""
    assert len(stream_names) <= 3
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # FAT sectors
    struct.pack_into("<I", header, 48, 1)  # first directory sector
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<IIII", header, 60, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *[free] * 108)
    fat = struct.pack("<128I", fat_sector, end, *[free] * 126)
    directory = bytearray(512)
    for index, (name, entry_type) in enumerate(
        [("Root Entry", 5), *((name, 2) for name in stream_names)]
    ):
        offset = index * 128
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory[offset : offset + len(encoded)] = encoded
        struct.pack_into("<HBB", directory, offset + 64, len(encoded), entry_type, 1)
        child = 1 if entry_type == 5 and stream_names else free
        right = index + 1 if 0 < index < len(stream_names) else free
        struct.pack_into("<III", directory, offset + 68, free, right, child)
        struct.pack_into("<I", directory, offset + 116, end)
    return bytes(header) + fat + bytes(directory)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


def pdf_upload(name="plan.pdf"):
    return upload(name, PDF, "application/pdf")


# Form data ----------------------------------------------------------------------------


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def japanese_place(code):
    return JapaneseLocalGovernment.objects.get(code=code)


def activity_data(**overrides):
    """A complete activity support request from Takayama (Gifu)."""
    data = {
        "kind": "activity_support",
        "government": "岐阜県高山市",
        "department": "海外戦略課",
        "contact_name": "飛騨太郎",
        "email": "hida@example.jp",
        "phone": "0577-32-3333",
        "purpose": "観光プロモーションのため北京の旅行会社を訪問します。",
        "stay_start": in_days(30),
        "stay_end": in_days(34),
        "destinations": "北京市、天津市",
        "delegation_leader": "市長",
        "delegation_size": "5",
        "services": [service.pk for service in SupportService.objects.all()[:2]],
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def research_data(**overrides):
    data = {
        "kind": "overseas_research",
        "government": "京都府",
        "department": "国際課",
        "contact_name": "京都花子",
        "email": "kyoto@example.jp",
        "phone": "075-000-0000",
        "research_subject": "中国の介護保険制度",
        "research_questions": "試行都市の状況を教えてください。",
        "needed_by": in_days(60),
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def expert_data(**overrides):
    """A complete expert request from Kaifeng (Henan)."""
    data = {
        "government": "开封市",
        "department": "农业农村局",
        "contact_name": "王明",
        "email": "wang@example.cn",
        "phone": "+86 371 2222 3333",
        "expert_field": ExpertField.objects.get(name_ja="農業").pk,
        "expert_subject": "有机农业技术",
        "wished_start": in_days(90),
        "wished_end": in_days(97),
        "purpose": "希望日本专家指导有机农业。",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Private storage ---------------------------------------------------------------------


@contextlib.contextmanager
def private_storage_at(path):
    """Point the attachments' storage at `path`. The storage is built once,
    when the model is loaded, from PRIVATE_MEDIA_ROOT; overriding the setting
    alone would not move it."""
    storage = RequestAttachment._meta.get_field("file").storage
    saved = storage._location

    def forget():
        for cached in ("base_location", "location"):
            storage.__dict__.pop(cached, None)

    storage._location = str(path)
    forget()
    try:
        yield path
    finally:
        storage._location = saved
        forget()


def stored_files(path):
    return [item for item in path.rglob("*") if item.is_file()]


# SMTP ---------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """aiosmtpd handler: keeps each message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [
            email.message_from_bytes(envelope.content, policy=policy.default)
            for envelope in self.envelopes
        ]

    def to(self, address):
        return [message for message in self.messages if address in message["To"]]


class SmtpServer:
    """An SMTP server on 127.0.0.1:`port`, started and stopped at will."""

    def __init__(self, port):
        self.port = port
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


def use_smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


def body_of(message):
    """The decoded text of a received mail."""
    return message.get_body(preferencelist=("plain",)).get_content()
