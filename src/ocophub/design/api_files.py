"""Design API, files: a request's files for those who may see it, and the public portfolio of the
delivered designs their producers let the center show, with their before and after images."""

from typing import Any, Literal

from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Schema
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH
from ocophub.common.api import ERRORS_AUTH, ERRORS_PUBLIC, MAX_ID, MAX_LIMIT, MAX_OFFSET, SLUG, paginate
from ocophub.inventory.api import center_ref

from .models import DONE_STATES, IMAGE_TYPES, DesignFile, DesignKind, DesignRequest, FileType
from .schemas import DesignKindName, PortfolioPage

router = Router(auth=API_AUTH)

CONTENT_TYPES: dict[str, str] = {
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
    FileType.WEBP: "image/webp",
    FileType.PDF: "application/pdf",
    FileType.SVG: "image/svg+xml",
    FileType.AI: "application/postscript",
    FileType.PSD: "image/vnd.adobe.photoshop",
}
# the answer's bytes, as the OpenAPI document describes them
BINARY = {
    "responses": {
        200: {
            "description": "The file's bytes",
            "content": {
                content_type: {"schema": {"type": "string", "format": "binary"}}
                for content_type in sorted(set(CONTENT_TYPES.values()))
            },
        }
    }
}


def _download(row: DesignFile, *, public: bool) -> FileResponse:
    """The file's bytes. Only JPEG, PNG and WebP are shown inline: an SVG (which a browser would run
    as a page), a PDF or a source file is always a download, and the browser may not guess a type."""
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES[row.file_type],
        as_attachment=row.file_type not in IMAGE_TYPES,
        filename=row.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400" if public else "private, max-age=3600"
    return response


@router.get(
    "/files/{file_id}",
    url_name="design_file",
    response=ERRORS_AUTH,
    openapi_extra=BINARY,
    summary="Download a design file",
)
def download_file(request: HttpRequest, file_id: int = Path(..., ge=1, le=MAX_ID)) -> FileResponse:
    """A reference, proposal or final file of a request you may see (404 otherwise)."""
    row = DesignFile.objects.select_related("request").filter(pk=file_id).first()
    if row is None or not permissions.can_view_design_request(request.user, row.request):
        raise Http404
    return _download(row, public=False)


# --- the portfolio ---------------------------------------------------------------------------------


class PortfolioQuery(Schema):
    craft: str | None = Field(
        None, max_length=120, pattern=SLUG, description="A craft's slug or id (GET /places/crafts)"
    )
    kind: DesignKindName | None = None
    center_id: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(24, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _portfolio() -> Any:
    return DesignRequest.objects.filter(state__in=DONE_STATES, portfolio_allowed=True)


def _image(row: DesignRequest, which: Literal["before", "after"]) -> dict[str, Any] | None:
    chosen = row.before_file if which == "before" else row.after_file
    if chosen is None or not chosen.is_image:
        return None
    return {"id": chosen.pk, "url": reverse("api:design_portfolio_image", args=[row.pk, which])}


@router.get(
    "/portfolio", auth=None, response={200: PortfolioPage, **ERRORS_PUBLIC}, summary="The design portfolio"
)
def list_portfolio(request: HttpRequest, filters: Query[PortfolioQuery]) -> dict:
    """Delivered designs their producers let the center show, latest first, with the producer's
    "before" image and the design "after". `craft` is the craft of the producer's village or of the
    center."""
    qs = _portfolio().select_related("producer", "center", "before_file", "after_file")
    if filters.craft:
        by_id = filters.craft.isdigit() and len(filters.craft) < 19  # within a 64-bit id
        key, value = ("pk", int(filters.craft)) if by_id else ("slug", filters.craft)
        crafted = DesignRequest.objects.filter(
            Q(**{f"producer__craft_village__crafts__{key}": value}) | Q(**{f"center__crafts__{key}": value})
        )
        qs = qs.filter(pk__in=crafted.values("pk"))
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.center_id is not None:
        qs = qs.filter(center_id=filters.center_id)
    count, rows = paginate(qs.order_by("-delivered_at", "-pk"), filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [
            {
                "id": row.pk,
                "number": row.number,
                "title": row.title,
                "kind": row.kind,
                "kind_label": str(DesignKind(row.kind).label),
                "producer": {"id": row.producer.pk, "slug": row.producer.slug, "name": row.producer.name},
                "center": center_ref(row.center),
                "delivered_at": row.delivered_at,
                "before": _image(row, "before"),
                "after": _image(row, "after"),
            }
            for row in rows
        ],
    }


@router.get(
    "/portfolio/{request_id}/{which}",
    auth=None,
    url_name="design_portfolio_image",
    response=ERRORS_PUBLIC,
    openapi_extra=BINARY,
    summary="A portfolio design's before or after image",
)
def portfolio_image(
    request: HttpRequest,
    request_id: int = Path(..., ge=1, le=MAX_ID),
    which: Literal["before", "after"] = Path(...),
) -> FileResponse:
    row = _portfolio().select_related("before_file", "after_file").filter(pk=request_id).first()
    image = (row.before_file if which == "before" else row.after_file) if row else None
    if image is None or not image.is_image:
        raise Http404
    return _download(image, public=True)
