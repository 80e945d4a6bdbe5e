"""Images uploaded by staff (photos), refused before Pillow decodes them when
they have more pixels than Pillow is allowed to decode (IMAGE_MAX_PIXELS,
set on Pillow in FoundationConfig.ready)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image


class PixelLimitedImageField(forms.ImageField):
    """An image field that names the problem when an image has too many
    pixels, where Django's would call it "not an image or a corrupted image".
    Only the image's header is read for that."""

    default_error_messages = {
        "too_many_pixels": _(
            "This image has too many pixels (at most %(max)s million). "
            "Make it smaller and upload it again."
        ),
    }

    def to_python(self, data):
        if data and self.too_many_pixels(data):
            raise ValidationError(
                self.error_messages["too_many_pixels"],
                code="too_many_pixels",
                params={"max": Image.MAX_IMAGE_PIXELS // 1_000_000},
            )
        return super().to_python(data)

    @staticmethod
    def too_many_pixels(upload) -> bool:
        upload.seek(0)
        try:
            with Image.open(upload) as image:
                width, height = image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return True
        except Exception:  # not an image: Django's own check says so
            return False
        finally:
            upload.seek(0)
        return width * height > Image.MAX_IMAGE_PIXELS
