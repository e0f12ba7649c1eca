"""The rule type and request helpers of the route-permission matrix, shared by the apps' rule files."""

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image


@dataclass(frozen=True)
class Rule:
    """`call(client, ctx)` makes the request; users are names of attributes of the context."""

    call: Callable[[Client, Any], Any]
    allowed: str | None  # None: the route is public, the anonymous visitor is the allowed user
    allowed_status: int
    anonymous_status: int
    other: str | None = None
    other_status: int = 404


PAGE = 200
REDIRECT = 302


def _json(
    method: str, path: str | Callable[[Any], str], body: dict | Callable[[Any], dict] | None = None
) -> Callable[[Client, Any], Any]:
    def call(client: Client, ctx: Any) -> Any:
        url = path(ctx) if callable(path) else path
        send = getattr(client, method)
        if body is None:
            return send(url)
        return send(url, body(ctx) if callable(body) else body, content_type="application/json")

    return call


def _import_confirm(client: Client, ctx: Any) -> Any:
    """Preview an exported list as this client, then confirm it (a made-up token when there is none)."""
    from ocophub.catalogue import spreadsheet
    from ocophub.catalogue.models import Product

    data = spreadsheet.products_export(Product.objects.filter(pk=ctx.published.pk))
    upload = SimpleUploadedFile("danh-sach.xlsx", data, content_type="application/octet-stream")
    preview = client.post("/san-pham/nhap-excel/", {"file": upload})
    token = (preview.context or {}).get("token") if preview.status_code == 200 else None
    return client.post(f"/san-pham/nhap-excel/xac-nhan/{token or 'khong-hop-le'}/")


def _upload(client: Client, url: str) -> Any:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(buffer, format="PNG")
    return client.post(
        url, {"image": SimpleUploadedFile("anh.png", buffer.getvalue(), content_type="image/png")}
    )


def _photo(client: Client, ctx: Any) -> Any:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(buffer, format="PNG")
    upload = SimpleUploadedFile("anh.png", buffer.getvalue(), content_type="image/png")
    return client.post(f"/api/v1/centers/{ctx.planned.pk}/photos", {"image": upload})


def _get(path: str | Callable[[Any], str]) -> Callable[[Client, Any], Any]:
    return _json("get", path)


def _post(path: str | Callable[[Any], str], data: dict | None = None) -> Callable[[Client, Any], Any]:
    def call(client: Client, ctx: Any) -> Any:
        url = path(ctx) if callable(path) else path
        return client.post(url, data or {})

    return call


def _import_progress(client: Client, ctx: Any) -> Any:
    """The progress page of a background import that ctx.staff started."""
    from django.core.cache import cache

    from ocophub.catalogue.tasks import import_progress_key

    state = {"state": "queued", "done": 0, "total": 0, "user": ctx.staff.pk, "path": "imports/x.xlsx"}
    cache.set(import_progress_key("matrix"), state, 60)
    return client.get("/san-pham/nhap-excel/tien-do/matrix/")
