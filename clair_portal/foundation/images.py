"""Images uploaded by staff (photos): JPEG or PNG, whole, and refused before
Pillow decodes them when they have more pixels than Pillow is allowed to
decode (IMAGE_MAX_PIXELS, set on Pillow in FoundationConfig.ready), or a PNG
or a progressive JPEG more than WHOLE_DECODE_MAX_PIXELS."""

from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pilkit.processors import ResizeToFit, Transpose

from .typography import figure

#: Pillow's name of each format a photo may have, with the file name endings
#: that say it. Public pages, thumbnails and the printed brochure take these;
#: Django's own field took any of Pillow's 80 endings (EPS, PSD, TIFF, ...).
PHOTO_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}}
#: How a file of each format starts, and how a whole one ends (a JPEG's
#: end-of-image marker; PNG's IEND chunk with its CRC). A JPEG cut short in
#: uploading passed Pillow's verify() and never got a thumbnail.
FORMAT_BOUNDS = {
    "JPEG": (b"\xff\xd8\xff", b"\xff\xd9"),
    "PNG": (b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"),
}


#: The most pixels of an image whose thumbnail is made from the whole image,
#: or from buffers as large: a PNG (it has no smaller scales to decode, as a
#: JPEG has) and a progressive JPEG (libjpeg keeps every coefficient of its
#: scans). Measured in a fresh process at 12,000,000 pixels: 99 MiB (PNG,
#: RGBA) and 72 MiB (progressive JPEG, 4:4:4); at the 40,000,000 a baseline
#: JPEG may have (16 MiB, decoded at a smaller scale): 316 MiB and 230 MiB.
WHOLE_DECODE_MAX_PIXELS = 12_000_000


class PhotoImageField(forms.ImageField):
    """An image field for photos. Where Django's would say "not an image or
    a corrupted image", it names the problem: too many pixels (read from the
    header only), another format, a file cut short."""

    default_error_messages = {
        "too_many_pixels": _(
            "This image has too many pixels (at most %(max)s). "
            "Make it smaller and upload it again."
        ),
        "png_too_many_pixels": _(
            "This PNG image has too many pixels (at most %(max)s). Save a photo "
            "as JPEG, or make the image smaller, and upload it again."
        ),
        "progressive_too_many_pixels": _(
            "This JPEG is saved as progressive and has too many pixels for that "
            "(at most %(max)s). Save it again without the progressive option, "
            "or make it smaller, and upload it again."
        ),
        "not_jpeg_or_png": _(
            "Upload a JPEG or PNG image, its name ending in .jpg, .jpeg or .png."
        ),
        "truncated": _(
            "This image is incomplete: its end is missing. Upload the whole file again."
        ),
    }

    def to_python(self, data):
        passed = data and pixel_limit_passed(data)
        if passed:
            code, limit = passed
            raise ValidationError(
                self.error_messages[code], code=code, params={"max": figure(limit)}
            )
        if data and cut_short(data):
            raise ValidationError(self.error_messages["truncated"], code="truncated")
        upload = super().to_python(data)
        if upload is None:
            return None
        ending = PurePath(upload.name or "").suffix.lower()
        if ending not in PHOTO_FORMATS.get(upload.image.format, ()):
            raise ValidationError(
                self.error_messages["not_jpeg_or_png"], code="not_jpeg_or_png"
            )
        return upload


def pixel_limit_passed(upload) -> tuple[str, int] | None:
    """The error code and limit of pixels, if the image has more than its
    kind allows (read from its header only). Other files: None (Django's own
    check refuses them)."""
    whole_decode_limit = min(WHOLE_DECODE_MAX_PIXELS, Image.MAX_IMAGE_PIXELS)
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            image_format, progressive = image.format, image.info.get("progressive")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        upload.seek(0)
        if upload.read(8).startswith(FORMAT_BOUNDS["PNG"][0]):
            return "png_too_many_pixels", whole_decode_limit
        return "too_many_pixels", Image.MAX_IMAGE_PIXELS
    except Exception:  # not an image
        return None
    finally:
        upload.seek(0)
    if image_format == "PNG":
        code, limit = "png_too_many_pixels", whole_decode_limit
    elif image_format == "JPEG" and progressive:
        code, limit = "progressive_too_many_pixels", whole_decode_limit
    else:
        code, limit = "too_many_pixels", Image.MAX_IMAGE_PIXELS
    return (code, limit) if width * height > limit else None


def cut_short(upload) -> bool:
    """Whether a JPEG or PNG file lacks the end a whole one has (trailing zero
    bytes, which some cameras pad with, aside). Other files: False."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0, 2)
    upload.seek(max(0, upload.tell() - 1024))
    tail = upload.read().rstrip(b"\x00")
    upload.seek(0)
    return any(
        head.startswith(start) and not tail.endswith(end)
        for start, end in FORMAT_BOUNDS.values()
    )


class DecodeNoLargerThanNeeded:
    """A pilkit processor, run first: a JPEG's decoder is asked for the
    smallest of its scales (1/2, 1/4, 1/8) still at least width x height, so
    that a 6000 x 6600 photo is never decoded whole for a thumbnail (measured:
    166 MiB and 0.58 s, against 16 MiB and 0.08 s). Other formats are
    decoded whole."""

    def __init__(self, width: int, height: int):
        self.size = (width, height)

    def process(self, image):
        if image.format == "JPEG":
            image.draft(None, self.size)
        return image


class SixteenBitToEightBit:
    """A pilkit processor: a 16-bit greyscale image (a scanner's, a
    microscope's PNG) scaled to 8 bits. Pillow's own conversion clips every
    value over 255: mid-grey came out white."""

    def process(self, image):
        if image.mode in ("I;16", "I;16B", "I;16L"):
            # In its own mode, then to 8 bits: 35 MiB for 12 million
            # pixels, where going through 32-bit integers took 92.
            return image.point(lambda value: value / 256).convert("L")
        return image


#: How a photo's thumbnail is made (Photo.thumbnail): public pages and the
#: admin's preview draw it.
# Transpose: a phone saves a portrait photo as landscape pixels with an EXIF
# orientation, which every viewer follows; the thumbnail is turned likewise
# (it was shown sideways) and keeps no EXIF.
THUMBNAIL_PROCESSORS = [
    DecodeNoLargerThanNeeded(640, 480),
    SixteenBitToEightBit(),
    Transpose(),
    ResizeToFit(640, 480),
]
