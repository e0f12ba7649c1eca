"""Route-permission rules of a center's event pages for its staff and of its door's check-in (merged
into tests/test_route_matrix.py). The event, session and registration each rule needs are made in
the test's own savepoint, at center A of the matrix's world."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from ocophub.events import services
from ocophub.events.models import Event, PaymentMethod, Registration, Session

from ..route_rules import PAGE, REDIRECT, Rule


def _event(ctx: Any) -> Event:
    event = services.event_create(actor=None, center=ctx.world.center_a, kind="workshop", title="Nặn gốm")
    services.event_publish(actor=None, event=event)
    return event


def _session(ctx: Any) -> Session:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=5)
    return services.session_create(
        actor=None,
        event=_event(ctx),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=10,
        price=50_000,
    )


def _registration(ctx: Any, method: str = PaymentMethod.VIETQR) -> Registration:
    return services.registration_create(
        actor=None,
        session=_session(ctx),
        party_size=2,
        name="Khách",
        email="khach@example.vn",
        payment_method=method,
    )


def _base(ctx: Any) -> str:
    return f"/lam-viec/trung-tam/{ctx.world.center_a.slug}"


def _day() -> str:
    return (timezone.localdate() + dt.timedelta(days=7)).strftime("%d/%m/%Y")


def _call(
    method: str,
    path: Callable[[Any, Any], str],
    make: Callable[[Any], Any] | None,
    data: dict[str, Any] | None = None,
) -> Callable[[Client, Any], Any]:
    def call(client: Client, ctx: Any) -> Any:
        made = make(ctx) if make else None
        url = path(ctx, made)
        return client.get(url) if method == "get" else client.post(url, data or {})

    return call


def _rule(call: Callable[[Client, Any], Any], status: int) -> Rule:
    return Rule(call, "staff_a", status, REDIRECT, other="staff_b")


SESSION = {
    "day": _day(),
    "start": "09:00",
    "end": "11:00",
    "capacity": "10",
    "price": "0",
    "refund_rule": "standard",
}
RECURRENCE = {
    "freq": "daily",
    "starts_on": _day(),
    "count": "2",
    "start": "09:00",
    "end": "10:00",
    "capacity": "5",
    "price": "0",
    "refund_rule": "none",
}
EVENT = {"kind": "fair", "title": "Hội chợ", "languages": ["vi"]}

PAGES: dict[str, Rule] = {
    "events_center:list": _rule(_call("get", lambda ctx, _: f"{_base(ctx)}/su-kien/", None), PAGE),
    "events_center:create": _rule(
        _call("post", lambda ctx, _: f"{_base(ctx)}/su-kien/moi/", None, EVENT), REDIRECT
    ),
    "events_center:product_choices": _rule(
        _call("get", lambda ctx, _: f"{_base(ctx)}/su-kien/tim-san-pham/?product_query=gom", None), PAGE
    ),
    "events_center:producer_choices": _rule(
        _call("get", lambda ctx, _: f"{_base(ctx)}/su-kien/tim-chu-the/?producer_query=gom", None), PAGE
    ),
    "events_center:event": _rule(_call("get", lambda ctx, e: f"{_base(ctx)}/su-kien/{e.pk}/", _event), PAGE),
    "events_center:publish": _rule(
        _call(
            "post",
            lambda ctx, e: f"{_base(ctx)}/su-kien/{e.pk}/cong-bo/",
            lambda ctx: services.event_create(
                actor=None, center=ctx.world.center_a, kind="fair", title="Hội chợ"
            ),
        ),
        REDIRECT,
    ),
    "events_center:cancel": _rule(
        _call("post", lambda ctx, e: f"{_base(ctx)}/su-kien/{e.pk}/huy/", _event, {"reason": "Mưa bão"}),
        REDIRECT,
    ),
    # no file: the form is refused (400) for the allowed user; the others never reach it
    "events_center:photo": _rule(
        _call("post", lambda ctx, e: f"{_base(ctx)}/su-kien/{e.pk}/anh/", _event), 400
    ),
    "events_center:session_add": _rule(
        _call("post", lambda ctx, e: f"{_base(ctx)}/su-kien/{e.pk}/buoi-moi/", _event, SESSION), REDIRECT
    ),
    "events_center:sessions_recurring": _rule(
        _call("post", lambda ctx, e: f"{_base(ctx)}/su-kien/{e.pk}/buoi-lap-lai/", _event, RECURRENCE),
        REDIRECT,
    ),
    "events_center:session": _rule(_call("get", lambda ctx, s: f"{_base(ctx)}/buoi/{s.pk}/", _session), PAGE),
    "events_center:session_edit": _rule(
        _call(
            "post",
            lambda ctx, s: f"{_base(ctx)}/buoi/{s.pk}/sua/",
            _session,
            {"capacity": "12", "price": "0", "refund_rule": "none"},
        ),
        REDIRECT,
    ),
    "events_center:session_cancel": _rule(
        _call("post", lambda ctx, s: f"{_base(ctx)}/buoi/{s.pk}/huy/", _session, {"reason": "Lò hỏng"}),
        REDIRECT,
    ),
    "events_center:session_message": _rule(
        _call(
            "post",
            lambda ctx, s: f"{_base(ctx)}/buoi/{s.pk}/nhan-tin/",
            _session,
            {"subject": "Lịch", "message": "Đến sớm 10 phút."},
        ),
        REDIRECT,
    ),
    "events_center:session_export": _rule(
        _call("get", lambda ctx, s: f"{_base(ctx)}/buoi/{s.pk}/nguoi-tham-du.xlsx", _session), PAGE
    ),
    "events_center:registration_pay": _rule(
        _call("post", lambda ctx, r: f"{_base(ctx)}/dang-ky/{r.pk}/thanh-toan/", _registration), REDIRECT
    ),
    "events_center:registration_cancel": _rule(
        _call("post", lambda ctx, r: f"{_base(ctx)}/dang-ky/{r.pk}/huy/", _registration), REDIRECT
    ),
    "events_center:check_in": _rule(_call("get", lambda ctx, _: f"{_base(ctx)}/soat-ve/", None), PAGE),
}
OPERATIONS: dict[str, Rule] = {}
