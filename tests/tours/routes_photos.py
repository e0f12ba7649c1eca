"""Route-permission rules of a tour's photos on its work page (merged into tests/test_route_matrix.py):
the city's administrator works for every operator; a center's staff gets 404."""

import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from ocophub.tours import services

from ..route_rules import REDIRECT, Rule
from . import world as w


def png(name: str = "anh.png", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _photo(ctx: Any) -> Any:
    tour = w.tour(w.operator(), stops=[{"kind": "center", "center": ctx.world.center_a.pk, "minutes": 60}])
    services.tour_photo_add(actor=None, tour=tour, image=png("a.png"))
    return services.tour_photo_add(actor=None, tour=tour, image=png("b.png"))


def _url(photo: Any, tail: str = "") -> str:
    return f"/lam-viec/tour/{photo.tour.operator_id}/{photo.tour_id}/anh/{photo.pk}/{tail}"


def _post(path: Callable[[Any], str], data: dict[str, Any] | None = None) -> Callable[[Client, Any], Any]:
    def call(client: Client, ctx: Any) -> Any:
        return client.post(path(_photo(ctx)), data or {})

    return call


def _add(client: Client, ctx: Any) -> Any:
    tour = w.tour(w.operator(), stops=[{"kind": "center", "center": ctx.world.center_a.pk, "minutes": 60}])
    return client.post(
        f"/lam-viec/tour/{tour.operator_id}/{tour.pk}/anh/", {"image": png(), "caption": "Lò gốm"}
    )


def _rule(call: Callable[[Client, Any], Any]) -> Rule:
    return Rule(call, "staff", REDIRECT, REDIRECT, other="staff_a")


PAGES: dict[str, Rule] = {
    "tours_work:photo_add": _rule(_add),
    "tours_work:photo_edit": _rule(_post(_url, {"caption": "Lò bầu", "credit": "OCOP Hub"})),
    "tours_work:photo_move": _rule(_post(lambda p: _url(p, "chuyen/"), {"direction": "up"})),
    "tours_work:photo_remove": _rule(_post(lambda p: _url(p, "xoa/"))),
}
OPERATIONS: dict[str, Rule] = {}
