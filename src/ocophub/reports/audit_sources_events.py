"""The audit trail's sources of promotion events: the events', sessions' and registrations' state
histories, their payments, refunds and check-ins (see audit_sources). Read through the events app's
selectors; each row belongs to the center that organises the event."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from ocophub.common.dates import format_datetime
from ocophub.events import selectors as events
from ocophub.events.models import EventState, RegistrationState, SessionState
from ocophub.seats.models import HoldEvent, HoldState, SeatMovement

from .audit_sources import Entry, Source, actor_name, field_is, state_change, vnd_text


def session_name(session: Any) -> str:
    """An event's session as the reader knows it: the event's title and its local start."""
    return f"{session.event} · {format_datetime(session.starts_at)}"


def registration_name(registration: Any) -> str:
    return " ".join([_("Registration"), str(registration), "·", session_name(registration.session)])


def _transition(e: Any, key: str, kind: str, label: str, choices: Any, center_id: int) -> Entry:
    return Entry(
        at=e.at,
        source=key,
        pk=e.pk,
        actor=actor_name(e.actor),
        kind=kind,
        label=label,
        what=_("Status changed"),
        change=state_change(e, choices),
        center_id=center_id,
    )


EVENT_EVENTS = Source(
    key="event_event",
    kinds=frozenset({"event"}),
    rows=events.event_history,
    at="at",
    actor="actor",
    entry=lambda e, viewer: _transition(
        e, "event_event", "event", str(e.event), EventState, e.event.center_id
    ),
    center=field_is("event__center_id"),
    objects={"event": field_is("event_id"), "center": field_is("event__center_id")},
)

SESSION_EVENTS = Source(
    key="session_event",
    kinds=frozenset({"event"}),
    rows=events.session_history,
    at="at",
    actor="actor",
    entry=lambda e, viewer: _transition(
        e, "session_event", "event", session_name(e.session), SessionState, e.session.event.center_id
    ),
    center=field_is("session__event__center_id"),
    objects={"event": field_is("session__event_id"), "center": field_is("session__event__center_id")},
)

REGISTRATION_EVENTS = Source(
    key="registration_event",
    kinds=frozenset({"seats"}),
    rows=events.registration_history,
    at="at",
    actor="actor",
    entry=lambda e, viewer: _transition(
        e,
        "registration_event",
        "seats",
        registration_name(e.registration),
        RegistrationState,
        e.registration.session.event.center_id,
    ),
    center=field_is("registration__session__event__center_id"),
    objects={
        "event": field_is("registration__session__event_id"),
        "center": field_is("registration__session__event__center_id"),
    },
)


def _payment_entry(p: Any, viewer: Any) -> Entry:
    what = _("Event payment %(method)s, %(state)s") % {
        "method": p.get_method_display(),
        "state": p.get_state_display(),
    }
    if p.reference:
        what = f"{what} · {p.reference}"
    return Entry(
        at=p.created_at,  # written already succeeded, when the money is taken (events.selectors.payment_rows)
        source="event_payment",
        pk=p.pk,
        actor=actor_name(p.recorded_by),
        kind="money",
        label=registration_name(p.registration),
        what=what,
        change=f"+{vnd_text(p.amount)}",
        amount=p.amount,
        center_id=p.registration.session.event.center_id,
    )


EVENT_PAYMENTS = Source(
    key="event_payment",
    kinds=frozenset({"money"}),
    rows=events.payment_rows,
    at="created_at",
    actor="recorded_by",
    entry=_payment_entry,
    center=field_is("registration__session__event__center_id"),
    objects={
        "event": field_is("registration__session__event_id"),
        "center": field_is("registration__session__event__center_id"),
    },
)


def _refund_entry(r: Any, viewer: Any) -> Entry:
    what = _("Event refund, %(state)s") % {"state": r.get_state_display()}
    if r.reason:
        what = f"{what} · {r.reason}"
    return Entry(
        at=r.created_at,
        source="event_refund",
        pk=r.pk,
        actor=actor_name(r.actor),
        kind="money",
        label=registration_name(r.payment.registration),
        what=what,
        change=f"−{vnd_text(r.amount)}",
        amount=-r.amount,
        center_id=r.payment.registration.session.event.center_id,
    )


EVENT_REFUNDS = Source(
    key="event_refund",
    kinds=frozenset({"money"}),
    rows=events.refund_rows,
    at="created_at",
    actor="actor",
    entry=_refund_entry,
    center=field_is("payment__registration__session__event__center_id"),
    objects={
        "event": field_is("payment__registration__session__event_id"),
        "center": field_is("payment__registration__session__event__center_id"),
    },
)


def _check_in_entry(c: Any, viewer: Any) -> Entry:
    return Entry(
        at=c.at,
        source="check_in",
        pk=c.pk,
        actor=actor_name(c.actor),
        kind="seats",
        label=" ".join([_("Registration"), str(c.registration), "·", session_name(c.session)]),
        what=_("Checked in"),
        change=_("%(n)d people") % {"n": c.heads},
        center_id=c.center_id,
    )


CHECK_INS = Source(
    key="check_in",
    kinds=frozenset({"seats"}),
    rows=events.check_in_rows,
    at="at",
    actor="actor",
    entry=_check_in_entry,
    center=field_is("center_id"),
    objects={"event": field_is("session__event_id"), "center": field_is("center_id")},
)


# --- the seats (the seats app's hold histories and ledger), each given to the center of the event whose
# seats they are (a session's capacity, a registration's hold) ---


def _seat_entry(m: SeatMovement, viewer: Any) -> Entry:
    what = str(m.get_kind_display())
    if m.reason:
        what = f"{what} · {m.reason}"
    return Entry(
        at=m.at,
        source="seat_movement",
        pk=m.pk,
        actor=actor_name(m.actor),
        kind="seats",
        label=m.capacity.label or f"{m.capacity.owner_type} #{m.capacity.owner_id}",
        what=what,
        change=_("%(n)+d seats") % {"n": m.quantity},
    )


SEAT_MOVEMENTS = Source(
    key="seat_movement",
    kinds=frozenset({"seats"}),
    rows=lambda: SeatMovement.objects.select_related("actor", "capacity"),
    at="at",
    actor="actor",
    entry=_seat_entry,
    center=lambda pk: Q(capacity_id__in=events.capacity_ids_of_center(pk)),
    objects={
        "event": lambda pk: Q(capacity_id__in=events.capacity_ids_of_event(pk)),
        "center": lambda pk: Q(capacity_id__in=events.capacity_ids_of_center(pk)),
    },
)


def _hold_entry(e: HoldEvent, viewer: Any) -> Entry:
    return Entry(
        at=e.at,
        source="hold_event",
        pk=e.pk,
        actor=actor_name(e.actor),
        kind="seats",
        label=" ".join([_("Seat hold"), e.hold.reference or str(e.hold_id)]),
        what=_("Status changed"),
        change=state_change(e, HoldState),
    )


HOLD_EVENTS = Source(
    key="hold_event",
    kinds=frozenset({"seats"}),
    rows=lambda: HoldEvent.objects.select_related("actor", "hold"),
    at="at",
    actor="actor",
    entry=_hold_entry,
    center=lambda pk: Q(hold_id__in=events.hold_ids_of_center(pk)),
    objects={
        "event": lambda pk: Q(hold_id__in=events.hold_ids_of_event(pk)),
        "center": lambda pk: Q(hold_id__in=events.hold_ids_of_center(pk)),
    },
)
