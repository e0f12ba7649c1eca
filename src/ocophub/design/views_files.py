"""A design request's files and their previews, streamed from Django's storage to those who may see
the request (accounts.permissions.can_view_design_request) and to nobody else: the public media view
refuses the design folder and its thumbnails.

Each file goes out with the type its content was checked as, never sniffed by the browser; anything
but a JPEG, PNG or WebP image is a download (an SVG is never drawn inline: it could carry script).
"""

import posixpath

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from ocophub.accounts import permissions
from ocophub.common.thumbnails import ThumbnailError, thumbnail_make

from .models import IMAGE_TYPES, DesignFile, FileType

CONTENT_TYPES: dict[str, str] = {
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
    FileType.WEBP: "image/webp",
    FileType.PDF: "application/pdf",
    FileType.SVG: "image/svg+xml",
    FileType.AI: "application/postscript",
    FileType.PSD: "image/vnd.adobe.photoshop",
}
# a file is never replaced under its name, but who may see it can change: the browser keeps it for
# itself only, and asks again after a while
MAX_AGE = 3600
PREVIEW_SIZE = "card"


def _visible_file(request: HttpRequest, pk: int) -> DesignFile:
    row = DesignFile.objects.select_related("request").filter(pk=pk).first()
    if row is None or not permissions.can_view_design_request(request.user, row.request):
        raise Http404
    return row


def _stream(
    request: HttpRequest, name: str, *, etag: str, content_type: str, attachment: bool, filename: str
) -> HttpResponseBase:
    try:
        modified = default_storage.get_modified_time(name)
        size = default_storage.size(name)
    except (SuspiciousFileOperation, FileNotFoundError, OSError) as error:
        raise Http404 from error
    last_modified = int(modified.timestamp())

    def headers(response: HttpResponseBase) -> HttpResponseBase:
        response["Cache-Control"] = f"private, max-age={MAX_AGE}"
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["X-Content-Type-Options"] = "nosniff"
        # whatever the browser makes of it, the file runs nothing and loads nothing
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        response["Vary"] = "Cookie"
        return response

    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return headers(not_modified)
    try:
        handle = default_storage.open(name, "rb")
    except (SuspiciousFileOperation, FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type, as_attachment=attachment, filename=filename)
    response["Content-Length"] = str(size)
    return headers(response)


@require_safe
def file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file itself: images shown in the browser, everything else (and SVG) downloaded."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    row = _visible_file(request, pk)
    return _stream(
        request,
        str(row.file.name),
        etag=f'"df-{row.pk:x}-{row.size:x}"',
        content_type=CONTENT_TYPES.get(row.file_type, "application/octet-stream"),
        attachment=row.file_type not in IMAGE_TYPES,
        filename=row.original_name or posixpath.basename(str(row.file.name)),
    )


@require_safe
def file_preview(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An image's card-sized preview (a JPEG), made on the first request when the upload's was not."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    row = _visible_file(request, pk)
    if row.file_type not in IMAGE_TYPES:
        raise Http404
    try:
        name = thumbnail_make(str(row.file.name), PREVIEW_SIZE)
    except ThumbnailError as error:
        raise Http404 from error
    stem = posixpath.splitext(row.original_name or "xem-truoc")[0]
    return _stream(
        request,
        name,
        etag=f'"dp-{row.pk:x}-{PREVIEW_SIZE}"',
        content_type="image/jpeg",
        attachment=False,
        filename=f"{stem}.jpg",
    )
