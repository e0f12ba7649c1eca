"""Route-permission rules of the producer workspace (merged into tests/test_route_matrix.py).

ctx.producer_a's member (ctx.member_a) runs its workspace; producer B's member gets 404 for every page
of producer A, and a customer has no workspace at all.
"""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from ..route_rules import PAGE, REDIRECT, Rule, _get, _post


def _png(name: str = "anh.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _base(ctx: Any) -> str:
    return f"/lam-viec/chu-the/{ctx.producer_a.slug}/"


def _product(ctx: Any) -> str:
    return f"{_base(ctx)}san-pham/{ctx.bowl.pk}/"


def _remove_product_photo(client: Client, ctx: Any) -> Any:
    from ocophub.catalogue import services

    photo = services.product_photo_add(actor=None, product=ctx.bowl, image=_png())
    return client.post(f"{_product(ctx)}anh/{photo.pk}/xoa/")


def _remove_producer_photo(client: Client, ctx: Any) -> Any:
    from ocophub.catalogue import services

    photo = services.producer_photo_add(actor=None, producer=ctx.producer_a, image=_png())
    return client.post(f"{_base(ctx)}ho-so/anh/{photo.pk}/xoa/")


PAGES: dict[str, Rule] = {
    # one producer: straight to its workspace; a customer has none
    "workspace:home": Rule(_get("/lam-viec/chu-the/"), "member_a", REDIRECT, REDIRECT, other="customer"),
    "workspace:producer": Rule(_get(_base), "member_a", PAGE, REDIRECT, other="member_b"),
    "workspace:profile": Rule(
        _get(lambda ctx: f"{_base(ctx)}ho-so/"), "member_a", PAGE, REDIRECT, other="member_b"
    ),
    "workspace:producer_photo_add": Rule(
        lambda client, ctx: client.post(f"{_base(ctx)}ho-so/anh/", {"image": _png()}),
        "member_a",
        REDIRECT,
        REDIRECT,
        other="member_b",
    ),
    "workspace:producer_photo_remove": Rule(
        _remove_producer_photo, "member_a", REDIRECT, REDIRECT, other="member_b"
    ),
    "workspace:products": Rule(
        _get(lambda ctx: f"{_base(ctx)}san-pham/?status=published&q=bat"),
        "member_a",
        PAGE,
        REDIRECT,
        other="member_b",
    ),
    "workspace:product_create": Rule(
        _post(lambda ctx: f"{_base(ctx)}san-pham/tao/", {"name": "Lọ hoa gốm mới", "list_price": "90.000"}),
        "member_a",
        REDIRECT,
        REDIRECT,
        other="member_b",
    ),
    "workspace:product": Rule(_get(_product), "member_a", PAGE, REDIRECT, other="member_b"),
    "workspace:product_photo_add": Rule(
        lambda client, ctx: client.post(f"{_product(ctx)}anh/", {"image": _png()}),
        "member_a",
        REDIRECT,
        REDIRECT,
        other="member_b",
    ),
    "workspace:product_photo_remove": Rule(
        _remove_product_photo, "member_a", REDIRECT, REDIRECT, other="member_b"
    ),
    "workspace:product_transition": Rule(
        _post(lambda ctx: f"{_product(ctx)}trang-thai/", {"to": "archived"}),
        "member_a",
        REDIRECT,
        REDIRECT,
        other="member_b",
    ),
    "workspace:certificates": Rule(
        _get(lambda ctx: f"{_base(ctx)}chung-nhan/"), "member_a", PAGE, REDIRECT, other="member_b"
    ),
}
OPERATIONS: dict[str, Rule] = {}
