"""Checks for uploaded photos: a real JPEG, PNG or WebP image, not too large, no decompression bomb."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .errors import DomainError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
# 40 megapixels: more than any camera a producer uses; a larger canvas is refused before decoding
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def photo_check(image: "UploadedFile[Any]", field: str = "image") -> None:
    """Raise a DomainError naming `field` unless the upload is an acceptable photo; rewinds the file."""
    from PIL import Image, UnidentifiedImageError

    if image.size and image.size > MAX_PHOTO_BYTES:
        raise DomainError(_("The photo is larger than 8 MB."), fields={field: _("Too large.")})
    try:
        with Image.open(image) as picture:
            width, height = picture.size
            picture.verify()
            kind = picture.format
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise DomainError(_("The file is not an image."), fields={field: _("Not an image.")}) from error
    if width * height > MAX_PHOTO_PIXELS:
        raise DomainError(_("The photo has too many pixels."), fields={field: _("Too large.")})
    if kind not in PHOTO_FORMATS:
        raise DomainError(_("Use a JPEG, PNG or WebP image."), fields={field: _("Unsupported format.")})
    image.seek(0)
