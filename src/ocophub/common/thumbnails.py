"""Thumbnails of uploaded photos: made once, stored through Django's storage under a fixed name.

A photo `products/a.png` has its card thumbnail at `thumbs/card/products/a.png.jpg`: the name is known
without asking the storage, so a page can link it, the media view can make it on the first request
and a reverse proxy or an object store can serve it once it exists. A thumbnail is never made again
(an uploaded file's name is never reused for other content: the storage picks a free name).
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .images import MAX_PHOTO_PIXELS

THUMB_FOLDER = "thumbs"


@dataclass(frozen=True)
class ThumbSize:
    width: int
    height: int


# The sizes the pages draw: cards in lists and the photos of a detail page, both cropped to 4:3 so
# that the pages can give every <img> its width and height before the file arrives.
SIZES: dict[str, ThumbSize] = {
    "card": ThumbSize(320, 240),
    "detail": ThumbSize(960, 720),
}


class ThumbnailError(Exception):
    """The source is missing, not an image, or too large to decode safely."""


def thumbnail_name(source: str, size: str) -> str:
    if size not in SIZES:
        raise ValueError(f"unknown thumbnail size {size!r}")
    return f"{THUMB_FOLDER}/{size}/{source}.jpg"


def thumbnail_source(name: str) -> tuple[str, str] | None:
    """The (source name, size) a thumbnail name was made from, or None when it is not one."""
    parts = name.split("/", 2)
    if len(parts) != 3 or parts[0] != THUMB_FOLDER or parts[1] not in SIZES or not parts[2].endswith(".jpg"):
        return None
    source = parts[2].removesuffix(".jpg")
    return (source, parts[1]) if source else None


def thumbnail_url(source: str, size: str) -> str:
    return default_storage.url(thumbnail_name(source, size))


def _render(data: bytes, size: ThumbSize) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as picture:
            width, height = picture.size
            # checked before decoding: a small file may declare a huge canvas
            if width * height > MAX_PHOTO_PIXELS:
                raise ThumbnailError(f"{width}×{height} pixels is more than {MAX_PHOTO_PIXELS}")
            picture.draft("RGB", (size.width * 2, size.height * 2))
            upright = ImageOps.exif_transpose(picture)
            if upright.mode in {"RGBA", "LA", "P"}:
                rgba = upright.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                upright = flat
            else:
                upright = upright.convert("RGB")
            fitted = ImageOps.fit(upright, (size.width, size.height), Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise ThumbnailError(str(error)) from error
    out = io.BytesIO()
    fitted.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def thumbnail_make(source: str, size: str) -> str:
    """The thumbnail's storage name, made from `source` unless it exists already."""
    name = thumbnail_name(source, size)
    if default_storage.exists(name):
        return name
    try:
        with default_storage.open(source, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError) as error:
        raise ThumbnailError(f"no photo {source!r}") from error
    saved = default_storage.save(name, ContentFile(_render(data, SIZES[size])))
    if saved != name:
        # another process made the same thumbnail meanwhile: keep theirs, drop the copy
        default_storage.delete(saved)
    return name


def thumbnails_make(source: str | None) -> list[str]:
    """Every size of `source`, as a photo is added (a proxy serving media cannot make them later)."""
    return [thumbnail_make(source, size) for size in SIZES] if source else []
