import io
import math
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.forms import modelform_factory
from PIL import Image

from clair_portal.foundation.images import (
    THUMBNAIL_PROCESSORS,
    WHOLE_DECODE_MAX_PIXELS,
)
from clair_portal.foundation.models import Photo
from seminars.models import Seminar
from tests.bounds import figures_of_child

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """A directory of the test's own; imagekit's note of which thumbnails
    exist (in the cache) is forgotten with the last one."""
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


def jpeg(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1d4f91").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def photo_of(seminar, upload):
    return Photo(
        content_type=ContentType.objects.get_for_model(Seminar),
        object_id=seminar.pk,
        image=upload,
        caption_ja="講演中の参加者の様子",
        caption_zh_hans="参加演讲会的人员",
    )


def test_a_photo_gets_its_thumbnail_when_it_is_saved():
    seminar = Seminar.objects.get(edition=17)
    photo = photo_of(seminar, jpeg(1600, 1200))
    photo.full_clean()
    photo.save()
    assert seminar.photos.filter(pk=photo.pk).exists()
    with Image.open(Path(settings.MEDIA_ROOT) / photo.thumbnail.name) as image:
        assert image.size == (640, 480)


def test_a_page_view_never_makes_a_thumbnail(client):
    """A visitor's request draws the thumbnail's address only: it decodes no
    image and asks the storage nothing. `generateimages` makes a missing one
    (photos uploaded before thumbnails were made on save)."""
    seminar = Seminar.objects.get(edition=17)
    photo = photo_of(seminar, jpeg(1600, 1200))
    photo.save()
    thumbnail = Path(settings.MEDIA_ROOT) / photo.thumbnail.name
    thumbnail.unlink()
    cache.clear()
    html = client.get("/ja/seminars/17/").content.decode()
    assert f'src="{photo.thumbnail.url}"' in html
    assert not thumbnail.exists()
    call_command("generateimages", "clair_portal:photo:thumbnail", stdout=io.StringIO())
    with Image.open(thumbnail) as image:
        assert image.size == (640, 480)


def test_a_file_that_is_not_an_image_is_refused():
    """The admin's form field opens the upload with Pillow, whatever its name says."""
    PhotoForm = modelform_factory(
        Photo, fields=["image", "caption_ja", "caption_zh_hans"]
    )
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", "image/jpeg")
    form = PhotoForm(
        data={"caption_ja": "写真", "caption_zh_hans": "照片"}, files={"image": fake}
    )
    assert not form.is_valid()
    assert "image" in form.errors
    good = PhotoForm(
        data={"caption_ja": "写真", "caption_zh_hans": "照片"},
        files={"image": jpeg(32, 32)},
    )
    assert good.is_valid(), good.errors


PAGES_WITH_PHOTOS = [
    "/{language}/seminars/17/",
    "/{language}/exchange/",
    "/{language}/jet/",
    "/{language}/experts/",
    "/{language}/support/",
    "/{language}/brochure/2019/",
    "/{language}/brochure/2023/",
]


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
@pytest.mark.parametrize("path", PAGES_WITH_PHOTOS)
def test_photos_without_an_image_are_not_drawn(client, path, language):
    """The brochures' photos are captions until staff upload the image: no
    placeholder box, no caption without its photo."""
    assert Photo.objects.filter(image="").exists()
    html = client.get(path.format(language=language)).content.decode()
    assert "photo__pending" not in html
    for caption_ja, caption_zh in Photo.objects.filter(image="").values_list(
        "caption_ja", "caption_zh_hans"
    ):
        assert f"<figcaption>{caption_ja}</figcaption>" not in html
        assert f"<figcaption>{caption_zh}</figcaption>" not in html


def test_a_photo_is_drawn_once_its_image_is_uploaded(client):
    seminar = Seminar.objects.get(edition=17)
    photo = seminar.photos.order_by("position", "id").first()
    photo.image = jpeg(800, 600)
    photo.save()
    html = client.get("/ja/seminars/17/").content.decode()
    assert html.count('<figure class="photo">') == 1
    assert f"<figcaption>{photo.caption_ja}</figcaption>" in html


def test_admin_lists_photos_without_an_image_as_images_to_upload(admin_client):
    html = admin_client.get("/admin/clair_portal/photo/?image__isempty=1").content
    html = html.decode()
    pending = Photo.objects.filter(image="").count()
    assert pending and html.count("Image to upload") + html.count(
        "画像をアップロード"
    ) >= min(pending, 25)


THUMBNAIL_CHILD = """
import json, sys, time
import django
django.setup()
from PIL import Image
from pilkit.utils import process_image
from clair_portal.foundation.images import THUMBNAIL_PROCESSORS

def status(field):  # bytes; VmHWM starts anew at exec
    line = next(x for x in open("/proc/self/status") if x.startswith(field + ":"))
    return int(line.split()[1]) * 1024

resident = status("VmRSS")
start = time.perf_counter()
thumbnail = process_image(
    Image.open(sys.argv[1]), processors=THUMBNAIL_PROCESSORS, format="JPEG"
)
seconds = time.perf_counter() - start
print(json.dumps({"extra": status("VmHWM") - resident, "seconds": seconds}))
"""


def test_a_large_jpegs_thumbnail_is_made_without_decoding_it_whole(tmp_path):
    """A 6000 x 6600 photo (under the pixel limit) took a worker from 100 to
    340 MB the first time a page drew its thumbnail: decoded whole, 166 MiB
    for this one alone."""
    path = tmp_path / "large.jpg"
    Image.new("RGB", (6000, 6600), "#1d4f91").save(path, "JPEG")
    figures = figures_of_child(THUMBNAIL_CHILD, str(path))
    print(figures)
    assert figures["extra"] < 48 * 1024 * 1024, figures
    assert Photo.thumbnail._original_spec.processors is THUMBNAIL_PROCESSORS


@pytest.mark.parametrize(
    ("image_format", "mode", "options"),
    [
        ("PNG", "RGBA", {}),
        ("JPEG", "RGB", {"progressive": True, "subsampling": 0, "quality": 90}),
    ],
    ids=["png", "progressive jpeg"],
)
def test_a_thumbnail_decoded_whole_is_made_within_bounds_at_its_pixel_limit(
    tmp_path, image_format, mode, options
):
    """A PNG has no smaller scales to decode, and libjpeg keeps every
    coefficient of a progressive JPEG: their thumbnails cost the whole image.
    At the 40,000,000 pixels a baseline JPEG may have, an RGBA PNG took
    316 MiB and a progressive 4:4:4 JPEG 230 MiB; they may have
    WHOLE_DECODE_MAX_PIXELS."""
    side = math.isqrt(WHOLE_DECODE_MAX_PIXELS)
    path = tmp_path / f"large.{image_format.lower()}"
    Image.new(mode, (side, side), "#1d4f91").save(path, image_format, **options)
    figures = figures_of_child(THUMBNAIL_CHILD, str(path))
    print(figures)
    assert figures["extra"] < 128 * 1024 * 1024, figures
    assert figures["seconds"] < 5, figures


def test_a_phones_portrait_photo_gets_a_portrait_thumbnail():
    """Stored as landscape pixels with EXIF orientation 6 (turn 90°), as
    phones save a portrait shot: the thumbnail was shown sideways (a
    reviewer's run)."""
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    Image.new("RGB", (1600, 800), "#1d4f91").save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("portrait.jpg", buffer.getvalue())
    photo = photo_of(Seminar.objects.get(edition=17), upload)
    photo.full_clean()
    photo.save()
    with Image.open(Path(settings.MEDIA_ROOT) / photo.thumbnail.name) as image:
        assert image.size == (240, 480)
        assert image.getexif().get(0x0112) in (None, 1)


def test_a_sixteen_bit_grey_pngs_thumbnail_keeps_its_greys():
    """Mid-grey came out white: Pillow clipped every 16-bit value to 255."""
    buffer = io.BytesIO()
    Image.new("I;16", (800, 600), 32768).save(buffer, "PNG")
    photo = photo_of(
        Seminar.objects.get(edition=17),
        SimpleUploadedFile("scan.png", buffer.getvalue()),
    )
    photo.full_clean()
    photo.save()
    with Image.open(Path(settings.MEDIA_ROOT) / photo.thumbnail.name) as image:
        assert image.convert("L").getpixel((10, 10)) == 128
