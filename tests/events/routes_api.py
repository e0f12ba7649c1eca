"""Route-permission rules of the events API (merged into tests/test_route_matrix.py, whose context holds
the selling world's centers and people: center_a with staff_a and manager_a, center_b with staff_b).

Each call makes the events it needs at center_a through the services (the test's savepoint takes
them away again): a published event with a paid session, and a draft that only center_a's staff see.
"""

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.test import Client
from django.utils import timezone

from ocophub.events import services
from ocophub.events.models import PaymentMethod

from ..route_rules import Rule

PAGES: dict[str, Rule] = {}
BASE = "/api/v1/events"


def _start(days: int = 10) -> dt.datetime:
    return (timezone.localtime() + dt.timedelta(days=days)).replace(minute=0, second=0, microsecond=0)


def _session(event: Any, seats: int = 10, price: int = 50_000) -> Any:
    start = _start()
    return services.session_create(
        actor=None,
        event=event,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=seats,
        price=price,
    )


def events_at(ctx: Any) -> SimpleNamespace:
    """At center_a: a published workshop with a session of 10 seats at 50 000 đ and a registration
    paid at the door; a draft exhibition with a free session."""
    w = SimpleNamespace()
    w.event = services.event_create(actor=None, center=ctx.center_a, kind="workshop", title="Nặn gốm")
    services.event_publish(actor=None, event=w.event)
    w.session = _session(w.event)
    w.registration = services.registration_create(
        actor=None,
        session=w.session,
        party_size=2,
        name="Nguyễn Văn An",
        email="an@example.vn",
        payment_method=PaymentMethod.DOOR,
    )
    w.draft = services.event_create(actor=None, center=ctx.center_a, kind="exhibition", title="Triển lãm lụa")
    w.draft_session = _session(w.draft, price=0)
    return w


def _call(
    method: str, path: Callable[[Any, SimpleNamespace], str], body: Any = None, *, prepare: Any = None
) -> Callable[[Client, Any], Any]:
    def call(client: Client, ctx: Any) -> Any:
        w = events_at(ctx)
        if prepare:
            prepare(ctx, w)
        data = body(ctx, w) if callable(body) else body
        send = getattr(client, method)
        if method == "get":
            return send(path(ctx, w))
        return send(path(ctx, w), data or {}, content_type="application/json")

    return call


def _offer(ctx: Any, w: SimpleNamespace) -> None:
    """A full session of one seat, a waiting party, the seat freed: w.offer_code is the offer's code."""
    full = _session(w.event, seats=1, price=0)
    taken = services.registration_create(
        actor=None, session=full, party_size=1, name="Khách", email="khach@example.vn"
    )
    entry = services.waitlist_join(actor=None, session=full, party_size=1, name="Chờ", email="cho@example.vn")
    services.registration_cancel(actor=None, registration=taken)
    entry.refresh_from_db()
    w.offer_code = entry.registration.code


def _full(ctx: Any, w: SimpleNamespace) -> None:
    w.full = _session(w.event, seats=2, price=0)
    services.registration_create(
        actor=None, session=w.full, party_size=2, name="Đoàn", email="doan@example.vn"
    )


def _new_session(ctx: Any, w: SimpleNamespace) -> dict:
    start = _start(12)
    return {
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=3)).isoformat(),
        "capacity": 12,
        "price": 80_000,
    }


OPERATIONS: dict[str, Rule] = {
    f"GET {BASE}": Rule(_call("get", lambda c, w: BASE), None, 200, 200),
    f"POST {BASE}": Rule(
        _call(
            "post",
            lambda c, w: BASE,
            lambda c, w: {"center_id": c.center_a.pk, "kind": "fair", "title": "Hội chợ"},
        ),
        "staff_a",
        201,
        401,
        other="staff_b",
    ),
    f"GET {BASE}/{{event_id}}": Rule(
        _call("get", lambda c, w: f"{BASE}/{w.draft.pk}"), "staff_a", 200, 404, other="staff_b"
    ),
    f"GET {BASE}/by-slug/{{slug}}": Rule(
        _call("get", lambda c, w: f"{BASE}/by-slug/{w.draft.slug}"), "staff_a", 200, 404, other="staff_b"
    ),
    f"PATCH {BASE}/{{event_id}}": Rule(
        _call("patch", lambda c, w: f"{BASE}/{w.draft.pk}", {"title": "Triển lãm lụa Vạn Phúc"}),
        "staff_a",
        200,
        401,
        other="staff_b",
    ),
    f"POST {BASE}/{{event_id}}/publish": Rule(
        _call("post", lambda c, w: f"{BASE}/{w.draft.pk}/publish"), "staff_a", 200, 401, other="staff_b"
    ),
    f"POST {BASE}/{{event_id}}/cancel": Rule(
        _call("post", lambda c, w: f"{BASE}/{w.event.pk}/cancel", {"reason": "Mưa bão."}),
        "manager_a",
        200,
        401,
        other="manager_b",
    ),
    f"GET {BASE}/{{event_id}}/sessions": Rule(
        _call("get", lambda c, w: f"{BASE}/{w.draft.pk}/sessions"), "staff_a", 200, 404, other="staff_b"
    ),
    f"POST {BASE}/{{event_id}}/sessions": Rule(
        _call("post", lambda c, w: f"{BASE}/{w.event.pk}/sessions", _new_session),
        "staff_a",
        201,
        401,
        other="staff_b",
    ),
    f"POST {BASE}/{{event_id}}/sessions/recurring": Rule(
        _call(
            "post",
            lambda c, w: f"{BASE}/{w.event.pk}/sessions/recurring",
            lambda c, w: {
                "rule": "FREQ=WEEKLY;BYDAY=SA",
                "starts_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
                "start_time": "09:00",
                "duration_minutes": 120,
                "count": 3,
                "capacity": 8,
            },
        ),
        "staff_a",
        201,
        401,
        other="staff_b",
    ),
    f"GET {BASE}/sessions/{{session_id}}": Rule(
        _call("get", lambda c, w: f"{BASE}/sessions/{w.draft_session.pk}"),
        "staff_a",
        200,
        404,
        other="staff_b",
    ),
    f"PATCH {BASE}/sessions/{{session_id}}": Rule(
        _call("patch", lambda c, w: f"{BASE}/sessions/{w.session.pk}", {"capacity": 20}),
        "staff_a",
        200,
        401,
        other="staff_b",
    ),
    f"POST {BASE}/sessions/{{session_id}}/cancel": Rule(
        _call("post", lambda c, w: f"{BASE}/sessions/{w.session.pk}/cancel", {"reason": "Lò hỏng."}),
        "staff_a",
        200,
        401,
        other="staff_b",
    ),
    f"GET {BASE}/sessions/{{session_id}}/registrations": Rule(
        _call("get", lambda c, w: f"{BASE}/sessions/{w.session.pk}/registrations"),
        "staff_a",
        200,
        401,
        other="staff_b",
    ),
    f"POST {BASE}/sessions/{{session_id}}/waitlist": Rule(
        _call(
            "post",
            lambda c, w: f"{BASE}/sessions/{w.full.pk}/waitlist",
            {"party_size": 1, "name": "Trần Thị Bình", "email": "binh@example.vn"},
            prepare=_full,
        ),
        None,
        201,
        201,
    ),
    f"GET {BASE}/availability": Rule(_call("get", lambda c, w: f"{BASE}/availability"), None, 200, 200),
    f"POST {BASE}/registrations": Rule(
        _call(
            "post",
            lambda c, w: f"{BASE}/registrations",
            lambda c, w: {
                "session_id": w.session.pk,
                "party_size": 2,
                "name": "Lê Văn Cường",
                "email": "cuong@example.vn",
                "payment_method": "vietqr",
            },
        ),
        None,
        201,
        201,
    ),
    f"GET {BASE}/registrations/{{code}}": Rule(
        _call("get", lambda c, w: f"{BASE}/registrations/{w.registration.code}"), None, 200, 200
    ),
    f"POST {BASE}/registrations/{{code}}/cancel": Rule(
        _call("post", lambda c, w: f"{BASE}/registrations/{w.registration.code}/cancel"), None, 200, 200
    ),
    f"POST {BASE}/registrations/{{code}}/accept": Rule(
        _call("post", lambda c, w: f"{BASE}/registrations/{w.offer_code}/accept", prepare=_offer),
        None,
        200,
        200,
    ),
    f"POST {BASE}/registrations/{{code}}/payments": Rule(
        _call(
            "post", lambda c, w: f"{BASE}/registrations/{w.registration.code}/payments", {"method": "door"}
        ),
        "staff_a",
        200,
        401,
        other="staff_b",
    ),
    f"POST {BASE}/check-ins": Rule(
        _call(
            "post",
            lambda c, w: f"{BASE}/check-ins",
            lambda c, w: {"code": w.registration.code, "center_id": c.center_a.pk},
        ),
        "staff_a",
        201,
        401,
        other="staff_b",
    ),
    f"GET {BASE}/heads": Rule(
        _call("get", lambda c, w: f"{BASE}/heads?center_id={c.center_a.pk}"),
        "staff_a",
        200,
        401,
        other="staff_b",
    ),
}
