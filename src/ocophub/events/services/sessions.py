"""Sessions of an event: create, edit, cancel (every registration refunded); recurring ones from a rule."""

import datetime as dt
from itertools import islice
from typing import Any

from dateutil import rrule as rr
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict, DomainError
from ocophub.common.services import change_record_write, changes_between, field_values
from ocophub.seats import services as seats
from ocophub.seats.services import MAX_SEATS

from .. import notices
from ..models import (
    ACTIVE_STATES,
    SESSION_TRANSITIONS,
    Event,
    EventState,
    Registration,
    RegistrationState,
    Session,
    SessionEvent,
    SessionState,
    WaitlistEntry,
    WaitlistState,
)
from ._base import actor_or_none, invalid, max_recurring, move
from .registrations import OWNER_TYPE, cancel

# --- sessions ---------------------------------------------------------------------------------------


def check_refund_rule(rule: Any, errors: dict[str, str]) -> list[dict[str, int]]:
    tiers = []
    ok = isinstance(rule, list)
    for tier in rule if ok else []:
        days = tier.get("days") if isinstance(tier, dict) else None
        percent = tier.get("percent") if isinstance(tier, dict) else None
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (days, percent)):
            ok = False
            break
        assert isinstance(days, int) and isinstance(percent, int)
        if days < 0 or not 0 <= percent <= 100:
            ok = False
            break
        tiers.append({"days": days, "percent": percent})
    if not ok:
        errors["refund_rule"] = _("Each tier is a number of days (0 or more) and a percent from 0 to 100.")
    return sorted(tiers, key=lambda t: -t["days"])


def _session_check(
    *, event: Event, starts_at: Any, ends_at: Any, capacity: Any, price: Any, makes: str, refund_rule: Any
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if event.state == EventState.CANCELLED:
        errors["event"] = _("The event is cancelled.")
    aware = []
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, dt.datetime) or timezone.is_naive(value):
            errors[field] = _("Enter a date and time.")
        else:
            aware.append(value)
    if len(aware) == 2:
        if starts_at <= timezone.now():
            errors["starts_at"] = _("The session must start in the future.")
        if ends_at <= starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        elif ends_at - starts_at > dt.timedelta(days=14):
            errors["ends_at"] = _("A session lasts at most 14 days.")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 0 < capacity <= MAX_SEATS:
        errors["capacity"] = _("The number of seats must be a whole number above zero.")
    if isinstance(price, bool) or not isinstance(price, int):
        errors["price"] = _("The price is a whole number of đồng.")
    elif price < 0:
        errors["price"] = _("The price cannot be negative (0 is free).")
    if len(makes) > 300:
        errors["makes"] = _("At most 300 characters.")
    check_refund_rule(refund_rule, errors)
    return errors


def _session_make(
    *,
    actor: Any,
    event: Event,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    price: int,
    makes: str,
    refund_rule: list[dict[str, int]],
) -> Session:
    session = Session.objects.create(
        event=event, starts_at=starts_at, ends_at=ends_at, price=price, makes=makes, refund_rule=refund_rule
    )
    local = timezone.localtime(starts_at)
    session.capacity = seats.capacity_create(
        actor=actor,
        owner_type=OWNER_TYPE,
        owner_id=session.pk,
        total=capacity,
        label=f"{event.title[:160]} {local:%d/%m/%Y %H:%M}",
    )
    session.save(update_fields=["capacity"])
    SessionEvent.objects.create(session=session, actor=actor_or_none(actor), to_state=SessionState.SCHEDULED)
    return session


@transaction.atomic
def session_create(
    *,
    actor: Any,
    event: Event,
    starts_at: Any,
    ends_at: Any,
    capacity: Any,
    price: Any = 0,
    makes: str = "",
    refund_rule: Any = None,
) -> Session:
    """A session of the event with `capacity` seats at `price` đồng per person (0 is free)."""
    makes = (makes or "").strip()
    rule = (
        refund_rule if refund_rule is not None else [{"days": 7, "percent": 100}, {"days": 2, "percent": 50}]
    )
    errors = _session_check(
        event=event,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        price=price,
        makes=makes,
        refund_rule=rule,
    )
    if errors:
        raise invalid(errors)
    return _session_make(
        actor=actor,
        event=event,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        price=price,
        makes=makes,
        refund_rule=check_refund_rule(rule, {}),
    )


SESSION_EDITABLE = ("capacity", "price", "makes", "refund_rule")


@transaction.atomic
def session_update(*, actor: Any, session: Session, **changes: Any) -> Session:
    """Change a scheduled session's seats, price, what participants make, or cancellation rule.

    The seats never go below those held and taken (the seats' own guard); more seats are offered to
    the waiting list at once. A new price applies to registrations made from now on; the times of a
    session are not moved (cancel it and make another, so that the registered parties are told)."""
    unknown = set(changes) - set(SESSION_EDITABLE)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here."), fields={k: _("Not editable.") for k in unknown}
        )
    session = Session.objects.select_related("event", "capacity").get(pk=session.pk)
    if session.state != SessionState.SCHEDULED:
        raise Conflict(
            _("This session is cancelled."), fields={"state": _("Cancelled.")}, code="session_cancelled"
        )
    assert session.capacity is not None
    errors = _session_check(
        event=session.event,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=changes.get("capacity", session.capacity.total),
        price=changes.get("price", session.price),
        makes=(changes.get("makes", session.makes) or "").strip(),
        refund_rule=changes.get("refund_rule", session.refund_rule),
    )
    errors.pop("starts_at", None)  # a session under way may still get more seats
    if errors:
        raise invalid(errors)
    names = ["price", "makes", "refund_rule"]
    before = field_values(session, names) | {"capacity": session.capacity.total}
    if "capacity" in changes and changes["capacity"] != session.capacity.total:
        seats.capacity_resize(actor=actor, capacity=session.capacity, total=changes["capacity"])
    for name in ("price", "makes", "refund_rule"):
        if name in changes:
            value = changes[name]
            if name == "makes":
                value = (value or "").strip()
            elif name == "refund_rule":
                value = check_refund_rule(value, {})
            setattr(session, name, value)
    session.save(update_fields=["price", "makes", "refund_rule", "updated_at"])
    after = field_values(session, names) | {"capacity": changes.get("capacity", before["capacity"])}
    change_record_write(actor=actor, obj=session, changes=changes_between(before, after))
    if after["capacity"] > before["capacity"]:
        from .waitlist import offer_next

        offer_next(session, actor=actor)
    return session


WEEKDAYS = {"MO": rr.MO, "TU": rr.TU, "WE": rr.WE, "TH": rr.TH, "FR": rr.FR, "SA": rr.SA, "SU": rr.SU}
FREQUENCIES = {"daily": rr.DAILY, "weekly": rr.WEEKLY, "monthly": rr.MONTHLY}


def _occurrences(
    rule: str | dict[str, Any], first: dt.datetime, until: dt.date | None, count: int | None, cap: int
) -> list[dt.datetime]:
    """The local start times the rule gives from `first`, at most cap + 1 (so that too many shows)."""
    until_at = dt.datetime.combine(until, dt.time(23, 59, 59)) if until else None
    if isinstance(rule, str):
        text = rule.strip()
        if text.upper().startswith("RRULE:"):
            text = text[6:]
        recurrence: Any = rr.rrulestr(text, dtstart=first, ignoretz=True)
        if not isinstance(recurrence, rr.rrule):
            raise ValueError("one rule only")
        ends: dict[str, Any] = {}
        if until_at:
            ends["until"], ends["count"] = until_at, None
        if count:
            ends["count"], ends["until"] = count, None
        if ends:
            recurrence = recurrence.replace(**ends)
    else:
        freq = FREQUENCIES[str(rule.get("freq", "")).lower()]
        interval = int(rule.get("interval", 1))
        days = [WEEKDAYS[str(day).upper()] for day in rule.get("byweekday", [])] or None
        recurrence = rr.rrule(
            freq, dtstart=first, interval=interval, byweekday=days, until=until_at, count=count
        )
    if recurrence._until is None and recurrence._count is None:
        raise invalid({"until": _("Say until when the sessions repeat, or how many there are.")})
    return list(islice(recurrence, cap + 1))


@transaction.atomic
def sessions_create_recurring(
    *,
    actor: Any,
    event: Event,
    rule: str | dict[str, Any],
    starts_on: dt.date,
    start_time: dt.time,
    duration: dt.timedelta,
    capacity: Any,
    price: Any = 0,
    until: dt.date | None = None,
    count: int | None = None,
    makes: str = "",
    refund_rule: Any = None,
) -> list[Session]:
    """The sessions a recurrence rule gives ("FREQ=WEEKLY;BYDAY=SA,SU" or {"freq": "weekly",
    "byweekday": ["SA", "SU"]}), from `starts_on` at `start_time` (Hanoi time), each lasting
    `duration`, until a day or for a count; all made or none, and at most EVENTS_MAX_RECURRING."""
    errors: dict[str, str] = {}
    if not isinstance(starts_on, dt.date) or not isinstance(start_time, dt.time):
        errors["starts_on"] = _("Enter the first day and the start time.")
    if not isinstance(duration, dt.timedelta) or duration <= dt.timedelta(0):
        errors["duration"] = _("The session must end after it starts.")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count <= 0):
        errors["count"] = _("A whole number above zero.")
    elif count is not None and until is not None:
        errors["count"] = _("Give an end day or a number of sessions, not both.")
    if errors:
        raise invalid(errors)
    cap = max_recurring()
    first = dt.datetime.combine(starts_on, start_time)
    try:
        starts = _occurrences(rule, first, until, count, cap)
    except DomainError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
        raise invalid(
            {"rule": _("Not a recurrence rule this site understands (e.g. FREQ=WEEKLY;BYDAY=SA).")}
        ) from None
    if not starts:
        raise invalid({"rule": _("The rule gives no session.")})
    if len(starts) > cap:
        raise invalid({"count": _("At most %(n)s sessions at once.") % {"n": cap}})
    made = []
    for start in starts:
        starts_at = timezone.make_aware(start)
        try:
            made.append(
                session_create(
                    actor=actor,
                    event=event,
                    starts_at=starts_at,
                    ends_at=starts_at + duration,
                    capacity=capacity,
                    price=price,
                    makes=makes,
                    refund_rule=refund_rule,
                )
            )
        except DomainError as error:
            day = f"{timezone.localtime(starts_at):%d/%m/%Y}"
            raise DomainError(
                _("The session of %(day)s: %(message)s") % {"day": day, "message": error.message},
                fields=error.fields,
            ) from None
    return made


def cancel_session_and_refund(session: Session, *, actor: Any, reason: str) -> None:
    move(
        session,
        SessionState.CANCELLED,
        SESSION_TRANSITIONS,
        actor=actor,
        reason=reason,
        event_model=SessionEvent,
        event_field="session",
        labels=SessionState,
    )
    registrations = list(
        Registration.objects.select_related("hold", "session__event").filter(
            session=session, state__in=ACTIVE_STATES
        )
    )
    for registration in registrations:
        # the center cancels: everything paid comes back, whatever the visitors' cancellation rule
        cancel(registration, actor=actor, reason=reason, share=100, offer=False)
    entries = WaitlistEntry.objects.filter(
        session=session, state__in=(WaitlistState.WAITING, WaitlistState.OFFERED)
    )
    entry_ids = list(entries.values_list("pk", flat=True))
    entries.update(state=WaitlistState.EXPIRED, updated_at=timezone.now())
    ids = [r.pk for r in registrations]
    transaction.on_commit(lambda: notices.session_cancelled(session.pk, ids, entry_ids, reason), robust=True)


@transaction.atomic
def session_cancel(*, actor: Any, session: Session, reason: str) -> Session:
    """The center cancels a session before it starts: every registration is cancelled and refunded
    in full (the visitors' rule does not apply to the center's own cancellation), the waiting list
    closed, and every party e-mailed."""
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": _("Say why the session is cancelled: the registered parties are told.")})
    session = Session.objects.select_related("event").get(pk=session.pk)
    if session.starts_at <= timezone.now():
        raise Conflict(
            _("The session has started: it can no longer be cancelled."),
            fields={"session": _("Already started.")},
            code="started",
        )
    cancel_session_and_refund(session, actor=actor, reason=reason)
    return session


@transaction.atomic
def session_message_parties(*, actor: Any, session: Session, subject: str, message: str) -> int:
    """E-mail every party registered for the session (held or confirmed, or cancelled with the
    session), after the commit; the number of parties written to. Kept in the session's history."""
    subject, message = (subject or "").strip(), (message or "").strip()
    errors: dict[str, str] = {}
    if not subject:
        errors["subject"] = _("Enter a subject.")
    elif len(subject) > 150:
        errors["subject"] = _("At most 150 characters.")
    if not message:
        errors["message"] = _("Enter the message.")
    elif len(message) > 5000:
        errors["message"] = _("At most 5000 characters.")
    if errors:
        raise invalid(errors)
    session = Session.objects.select_related("event").get(pk=session.pk)
    states = list(ACTIVE_STATES)
    if session.state == SessionState.CANCELLED:
        states += [RegistrationState.CANCELLED, RegistrationState.REFUNDED]
    ids = list(
        Registration.objects.filter(session=session, state__in=states)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    change_record_write(actor=actor, obj=session, changes={}, note=f"{subject}\n\n{message}")
    transaction.on_commit(lambda: notices.parties_messaged(ids, subject, message), robust=True)
    return len(ids)
