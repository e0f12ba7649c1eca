"""Checks for a design request's files: what a file is comes from its content, and its name's
extension must agree with it.

Accepted: JPEG, PNG and WebP images (decoded, pixel-limited), PDF, SVG (well-formed XML with an
<svg> root, no scripts, no external references), Adobe Illustrator (.ai, which is PDF or PostScript
inside) and Photoshop (.psd, "8BPS"), the last two kept as opaque files. Anything else, a name whose
extension says another type, an empty file or one over DESIGN_FILE_MAX_BYTES is refused.
"""

from typing import Any
from xml.etree.ElementTree import ParseError  # noqa: S405 — only the exception; parsing is defusedxml's

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from ocophub.common.errors import DomainError
from ocophub.common.images import MAX_PHOTO_PIXELS

from .models import FileType

# the extensions a name may carry for each type
EXTENSIONS: dict[str, tuple[str, ...]] = {
    FileType.JPEG: ("jpg", "jpeg"),
    FileType.PNG: ("png",),
    FileType.WEBP: ("webp",),
    FileType.PDF: ("pdf",),
    FileType.SVG: ("svg",),
    FileType.AI: ("ai",),
    FileType.PSD: ("psd",),
}
ALLOWED_EXTENSIONS = sorted({ext for exts in EXTENSIONS.values() for ext in exts})
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)
MAX_FILES_PER_UPLOAD = 10
SVG_MAX_BYTES = 2 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "DESIGN_FILE_MAX_BYTES", 25 * 1024 * 1024))


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def _image_type(upload: "UploadedFile[Any]", field: str) -> str | None:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as picture:
            width, height = picture.size
            kind = picture.format
            if width * height > MAX_PHOTO_PIXELS:
                raise DomainError(_("The image has too many pixels."), fields={field: _("Too large.")})
            picture.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
    return {"JPEG": FileType.JPEG, "PNG": FileType.PNG, "WEBP": FileType.WEBP}.get(kind or "")


def _svg_ok(data: bytes) -> bool:
    import defusedxml.ElementTree as safe_xml  # type: ignore[import-untyped]
    from defusedxml import DefusedXmlException

    try:
        root = safe_xml.fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        return False
    if root.tag not in ("svg", "{http://www.w3.org/2000/svg}svg"):
        return False
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1].lower()
        if tag in ("script", "foreignobject"):
            return False
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            text = value.strip().lower()
            if local.startswith("on"):
                return False
            if local == "href" and not text.startswith("#") and not text.startswith("data:image/"):
                return False
    return True


def detect_type(upload: "UploadedFile[Any]", field: str = "files") -> str | None:
    """The file's type by its content, or None when it is none of the accepted ones."""
    image = _image_type(upload, field)
    if image:
        return image
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    extension = _extension(upload.name or "")
    if head.startswith(b"%PDF-"):
        # an Illustrator file saved with PDF compatibility is a PDF inside: its name decides
        return FileType.AI if extension == "ai" else FileType.PDF
    if head.startswith(b"%!PS-Adobe") and extension == "ai":
        return FileType.AI
    if head.startswith(b"8BPS"):
        return FileType.PSD
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<svg"):
        if (upload.size or 0) > SVG_MAX_BYTES:
            return None
        data = upload.read()
        upload.seek(0)
        return FileType.SVG if _svg_ok(data) else None
    return None


def design_file_check(upload: "UploadedFile[Any]", field: str = "files") -> str:
    """The type of an acceptable upload; a DomainError naming `field` otherwise."""
    name = upload.name or ""
    if not upload.size:
        raise DomainError(
            _("The file “%(name)s” is empty.") % {"name": name}, fields={field: _("Empty file.")}
        )
    limit = max_bytes()
    if upload.size > limit:
        raise DomainError(
            _("The file “%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": limit // (1024 * 1024)},
            fields={field: _("Too large.")},
        )
    extension = _extension(name)
    if extension not in ALLOWED_EXTENSIONS:
        raise DomainError(
            _("“%(name)s”: only images (JPEG, PNG, WebP), PDF, SVG, AI and PSD files are accepted.")
            % {"name": name},
            fields={field: _("File type not accepted.")},
        )
    kind = detect_type(upload, field)
    if kind is None or extension not in EXTENSIONS[kind]:
        raise DomainError(
            _("“%(name)s” is not the kind of file its name says (.%(ext)s).")
            % {"name": name, "ext": extension},
            fields={field: _("The content does not match the file name.")},
        )
    return kind
