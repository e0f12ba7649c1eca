"""Uploaded files, served through Django's storage when no reverse proxy or object store does it.

Only the folders in MEDIA_SERVE_FOLDERS are public; anything else, a name that climbs out of them, or
MEDIA_SERVE=0 is a 404. A missing thumbnail of an existing photo is made on its first request.
"""

import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from ocophub.common.thumbnails import THUMB_FOLDER, ThumbnailError, thumbnail_make, thumbnail_source

CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
# Thumbnails never change under their name; an upload keeps its name too, but is revalidated daily
# in case an administrator replaces the file by hand.
THUMB_MAX_AGE = 365 * 24 * 3600
UPLOAD_MAX_AGE = 24 * 3600


def _clean_name(name: str) -> str:
    """`name` if it is a plain relative path inside an allowed folder; 404 otherwise."""
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or posixpath.normpath(name) != name
        or any(part in {"", ".", ".."} for part in name.split("/"))
    ):
        raise Http404
    if name.split("/", 1)[0] not in settings.MEDIA_SERVE_FOLDERS or "/" not in name:
        raise Http404
    return name


@require_safe
def media(request: HttpRequest, name: str) -> HttpResponseBase:
    if not settings.MEDIA_SERVE:
        raise Http404
    name = _clean_name(name)
    source = thumbnail_source(name) if name.startswith(THUMB_FOLDER + "/") else None
    if name.startswith(THUMB_FOLDER + "/"):
        # a thumbnail is public only when its photo is: the previews of private files (a design
        # request's) are kept under the same folder and served by their own views
        if source is None:
            raise Http404
        _clean_name(source[0])
    try:
        if not default_storage.exists(name):
            if source is None:
                raise Http404
            thumbnail_make(*source)
        modified = default_storage.get_modified_time(name)
        size = default_storage.size(name)
    except (SuspiciousFileOperation, ThumbnailError, FileNotFoundError) as error:
        raise Http404 from error
    last_modified = int(modified.timestamp())
    etag = f'"{size:x}-{last_modified:x}"'
    max_age = THUMB_MAX_AGE if name.startswith(THUMB_FOLDER + "/") else UPLOAD_MAX_AGE
    extension = posixpath.splitext(name)[1].lower()
    content_type = CONTENT_TYPES.get(extension)

    def headers(response: HttpResponseBase) -> HttpResponseBase:
        response["Cache-Control"] = f"public, max-age={max_age}" + (
            ", immutable" if max_age == THUMB_MAX_AGE else ""
        )
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["X-Content-Type-Options"] = "nosniff"
        return response

    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return headers(not_modified)
    try:
        handle = default_storage.open(name, "rb")
    except (SuspiciousFileOperation, FileNotFoundError) as error:
        raise Http404 from error
    response: HttpResponse | FileResponse = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        # a file that is not one of the photo formats is never shown inline
        as_attachment=content_type is None,
        filename=posixpath.basename(name),
    )
    response["Content-Length"] = str(size)
    return headers(response)
