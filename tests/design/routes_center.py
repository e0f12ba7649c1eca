"""Route-permission rules of a center's design pages and of the request files (merged into
tests/test_route_matrix.py)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client

from ocophub.common.dates import local_today
from ocophub.design import services

from ..route_rules import PAGE, REDIRECT, Rule, _get
from .world import pdf, png


def _due() -> str:
    return (local_today() + dt.timedelta(days=15)).strftime("%d/%m/%Y")


def _post_to(
    path: Callable[[Any], str],
    data: Callable[[Any], dict[str, Any]] = lambda ctx: {},
    setup: Callable[[Any], None] | None = None,
) -> Callable[[Client, Any], Any]:
    def call(client: Client, ctx: Any) -> Any:
        if setup is not None:
            setup(ctx)
        return client.post(path(ctx), data(ctx))

    return call


def _accepted(ctx: Any) -> None:
    services.design_request_accept(
        actor=ctx.manager_a,
        request=ctx.design_submitted,
        designer=ctx.designer_a,
        due_on=local_today() + dt.timedelta(days=10),
        price=1_000_000,
    )


def _changes_asked(ctx: Any) -> None:
    services.design_changes_request(actor=ctx.member_a, request=ctx.design_proposal, comment="Màu ấm hơn.")


PAGES: dict[str, Rule] = {
    "design_center:list": Rule(
        _get(lambda ctx: f"/lam-viec/trung-tam/{ctx.world.center_a.slug}/thiet-ke/"),
        "manager_a",
        PAGE,
        REDIRECT,
        other="manager_b",
    ),
    "design_center:list (designer)": Rule(
        _get(lambda ctx: f"/lam-viec/trung-tam/{ctx.world.center_a.slug}/thiet-ke/"),
        "designer_a",
        PAGE,
        REDIRECT,
        other="designer_b",
    ),
    "design:accept": Rule(
        _post_to(
            lambda ctx: f"/thiet-ke/yeu-cau/{ctx.design_submitted.pk}/nhan/",
            lambda ctx: {"designer": ctx.designer_a.pk, "due_on": _due(), "price": "2.500.000"},
        ),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
    "design:decline": Rule(
        _post_to(
            lambda ctx: f"/thiet-ke/yeu-cau/{ctx.design_submitted.pk}/tu-choi/",
            lambda ctx: {"reason": "Trung tâm đang quá tải."},
        ),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
    "design:start": Rule(
        _post_to(lambda ctx: f"/thiet-ke/yeu-cau/{ctx.design_submitted.pk}/bat-dau/", setup=_accepted),
        "designer_a",
        REDIRECT,
        REDIRECT,
        other="designer_b",
    ),
    "design:version_send": Rule(
        _post_to(
            lambda ctx: f"/thiet-ke/yeu-cau/{ctx.design_proposal.pk}/gui-phuong-an/",
            lambda ctx: {"note": "Phương án 2", "files": [png("v2.png")]},
            setup=_changes_asked,
        ),
        "designer_a",
        REDIRECT,
        REDIRECT,
        other="designer_b",
    ),
    "design:deliver": Rule(
        _post_to(
            lambda ctx: f"/thiet-ke/yeu-cau/{ctx.design_approved.pk}/ban-giao/",
            lambda ctx: {"note": "Tệp in", "files": [png("in.png"), pdf()]},
        ),
        "designer_a",
        REDIRECT,
        REDIRECT,
        other="designer_b",
    ),
    "design:close": Rule(
        _post_to(lambda ctx: f"/thiet-ke/yeu-cau/{ctx.design_delivered.pk}/dong/"),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
    "design:reassign": Rule(
        _post_to(
            lambda ctx: f"/thiet-ke/yeu-cau/{ctx.design_proposal.pk}/giao-lai/",
            lambda ctx: {"designer": ctx.manager_a.pk, "due_on": "", "reason": "Nhà thiết kế nghỉ phép."},
        ),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
    "design:file": Rule(
        _get(lambda ctx: f"/thiet-ke/tep/{ctx.design_reference.pk}/"),
        "member_a",
        PAGE,
        REDIRECT,
        other="member_b",
    ),
    "design:file (designer)": Rule(
        _get(lambda ctx: f"/thiet-ke/tep/{ctx.design_proposal_file.pk}/"),
        "designer_a",
        PAGE,
        REDIRECT,
        other="designer_b",
    ),
    "design:file_preview": Rule(
        _get(lambda ctx: f"/thiet-ke/tep/{ctx.design_proposal_file.pk}/xem-truoc/"),
        "manager_a",
        PAGE,
        REDIRECT,
        other="manager_b",
    ),
}
OPERATIONS: dict[str, Rule] = {}
