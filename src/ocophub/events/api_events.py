"""Events API, events and sessions: the public calendar's lists, an event with its sessions, free seats
over a date range, and the center staff's writes (create, edit, publish, cancel; sessions one by one or
from a recurrence rule)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Schema, Status
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH, PUBLIC_AUTH
from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.api import ERRORS_AUTH, ERRORS_PUBLIC, MAX_ID, MAX_LIMIT, MAX_OFFSET, SLUG, paginate
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError, NotFound
from ocophub.common.idempotency import MAX_KEY_LENGTH, run_once
from ocophub.inventory.schemas import Day

from . import selectors, services
from .api_common import (
    as_json,
    client_field_names,
    event_out,
    managed_event,
    managed_session,
    session_out,
    sessions_out,
    visible_event,
    visible_session,
)
from .models import Event, EventPhoto, Session
from .schemas import (
    AvailabilityPage,
    EventKindName,
    EventStateName,
    EvReasonIn,
    EvSessionIn,
    EvSessionOut,
    EvSessionPage,
    EvSessionPatch,
    EvSessionsMade,
    PromotionEventDetail,
    PromotionEventIn,
    PromotionEventPage,
    PromotionEventPatch,
    RecurringSessionsIn,
)

router = Router(auth=API_AUTH)

MAX_RANGE_DAYS = 92  # availability over at most a quarter
DETAIL_SESSIONS = 100


def day_start(day: dt.date) -> dt.datetime:
    """Midnight of a Hanoi day, as an aware date-time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def range_check(since: dt.date | None, until: dt.date | None, *, max_days: int | None = None) -> None:
    if since is not None and until is not None and until < since:
        raise DomainError(
            _("The end of the range comes before its start."), fields={"to": _("Before the start.")}
        )
    if max_days is not None and since is not None and until is not None and (until - since).days > max_days:
        raise DomainError(
            _("Ask for at most %(n)s days at once.") % {"n": max_days},
            fields={"to": _("At most %(n)s days after the start.") % {"n": max_days}},
        )


# --- events ----------------------------------------------------------------------------------------


class EventQuery(Schema):
    center_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: EventKindName | None = None
    state: EventStateName | None = Field(
        None, description="Drafts and cancelled events show only to their center's staff"
    )
    craft_id: int | None = Field(None, ge=1, le=MAX_ID, description="A craft of the organising center")
    village_id: int | None = Field(None, ge=1, le=MAX_ID, description="The organising center's village")
    date_from: Day | None = Field(None, alias="from", description="With a session on or after this day")
    date_to: Day | None = Field(None, alias="to", description="With a session on or before this day")
    free: bool | None = Field(None, description="true: with a free session; false: with a paid one")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "", auth=PUBLIC_AUTH, response={200: PromotionEventPage, **ERRORS_PUBLIC}, summary="Promotion events"
)
def list_promotion_events(request: HttpRequest, filters: Query[EventQuery]) -> dict:
    """Published events of every center, upcoming first; a center's staff also see its drafts and
    cancelled events (and the city every event). Two queries whatever the page."""
    range_check(filters.date_from, filters.date_to)
    rows = selectors.events_filtered(
        selectors.visible_events(request.user),
        now=timezone.now(),
        center_id=filters.center_id,
        kind=filters.kind,
        state=filters.state,
        craft_id=filters.craft_id,
        village_id=filters.village_id,
        since=day_start(filters.date_from) if filters.date_from else None,
        until=day_start(filters.date_to + dt.timedelta(days=1)) if filters.date_to else None,
        free=filters.free,
    )
    count, page = paginate(rows, filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [event_out(event) for event in page],
    }


# --- availability ----------------------------------------------------------------------------------


class AvailabilityQuery(Schema):
    date_from: Day | None = Field(None, alias="from", description="First day (default: today)")
    date_to: Day | None = Field(
        None, alias="to", description=f"Last day, at most {MAX_RANGE_DAYS} days on (default: 30 days on)"
    )
    center_id: int | None = Field(None, ge=1, le=MAX_ID)
    event_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: EventKindName | None = None
    craft_id: int | None = Field(None, ge=1, le=MAX_ID)
    village_id: int | None = Field(None, ge=1, le=MAX_ID)
    free: bool | None = None
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/availability",
    auth=PUBLIC_AUTH,
    response={200: AvailabilityPage, **ERRORS_PUBLIC},
    summary="Free seats per session over a date range",
)
def availability(request: HttpRequest, filters: Query[AvailabilityQuery]) -> dict:
    """Scheduled sessions of published events starting on the days `from`..`to` (Hanoi time, both
    included, at most 92 days apart; 422 otherwise) and not yet over, with their free seats, in time
    order: three queries."""
    since = filters.date_from or local_today()
    until = filters.date_to or since + dt.timedelta(days=30)
    range_check(since, until, max_days=MAX_RANGE_DAYS)
    rows = selectors.available_sessions(
        since=day_start(since),
        until=day_start(until + dt.timedelta(days=1)),
        now=timezone.now(),
        center_id=filters.center_id,
        event_id=filters.event_id,
        kind=filters.kind,
        craft_id=filters.craft_id,
        village_id=filters.village_id,
        free=filters.free,
    )
    count, page = paginate(rows, filters.limit, filters.offset)
    counters = selectors.seats_by_session(page)
    items = []
    for session in page:
        shown = session_out(session, counters.get(session.pk))
        event = session.event
        items.append(
            {
                "session_id": session.pk,
                "event": {"id": event.pk, "slug": event.slug, "name": event.title},
                "kind": event.kind,
                "center": {"id": event.center.pk, "slug": event.center.slug, "name": event.center.name},
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "price": session.price,
                "seats": shown["seats"],
                "free_seats": shown["free_seats"],
            }
        )
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


def event_detail(event: Event, *, staff: bool) -> dict[str, Any]:
    """One event with its featured products and producers, photos and coming sessions: six queries."""
    rows = Session.objects.filter(event=event, ends_at__gt=timezone.now())
    if not staff:
        rows = rows.filter(state="scheduled")
    sessions = list(rows.order_by("starts_at", "pk")[:DETAIL_SESSIONS])
    annotated = selectors.events_filtered(Event.objects.filter(pk=event.pk), now=timezone.now()).first()
    return {
        **event_out(annotated or event),
        "description": event.description,
        "products": [
            {"id": p.pk, "slug": p.slug, "name": p.name} for p in event.products.order_by("name", "pk")
        ],
        "producers": [
            {"id": p.pk, "slug": p.slug, "name": p.name} for p in event.producers.order_by("name", "pk")
        ],
        "photos": [photo.image.url for photo in EventPhoto.objects.filter(event=event)],
        "sessions": sessions_out(sessions),
    }


def _detail_for(request: HttpRequest, event: Event) -> dict[str, Any]:
    staff = permissions.can_manage_center_events(request.user, event.center)
    return event_detail(event, staff=staff or permissions.can_view_city_overview(request.user))


@router.get(
    "/{event_id}",
    auth=PUBLIC_AUTH,
    response={200: PromotionEventDetail, **ERRORS_PUBLIC},
    summary="One event, by id",
)
def get_event(request: HttpRequest, event_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """A published event, or a draft or cancelled one for its center's staff (404 for anyone else)."""
    return _detail_for(request, visible_event(request, pk=event_id))


@router.get(
    "/by-slug/{slug}",
    auth=PUBLIC_AUTH,
    response={200: PromotionEventDetail, **ERRORS_PUBLIC},
    summary="One event, by slug",
)
def get_event_by_slug(request: HttpRequest, slug: str = Path(..., max_length=220, pattern=SLUG)) -> dict:
    """As GET /events/{event_id}, by the slug of its page."""
    return _detail_for(request, visible_event(request, slug=slug))


def _products(ids: list[int] | None) -> list[Product] | None:
    if ids is None:
        return None
    wanted = list(dict.fromkeys(ids))
    found = {p.pk: p for p in Product.objects.filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise DomainError(
            _("Some featured products do not exist."), fields={"product_ids": _("Unknown product.")}
        )
    return [found[pk] for pk in wanted]


def _producers(ids: list[int] | None) -> list[Producer] | None:
    if ids is None:
        return None
    wanted = list(dict.fromkeys(ids))
    found = {p.pk: p for p in Producer.objects.filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise DomainError(
            _("Some featured producers do not exist."), fields={"producer_ids": _("Unknown producer.")}
        )
    return [found[pk] for pk in wanted]


@router.post(
    "",
    response={200: PromotionEventDetail, 201: PromotionEventDetail, **ERRORS_AUTH},
    summary="Create an event",
)
def create_event(
    request: HttpRequest,
    payload: PromotionEventIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    """A draft event of a center whose events you manage (its managers and staff); publish it once
    its sessions are in. 201 with the event; the same `Idempotency-Key` and body answer 200 with the
    first event again; the same key with another body is 422."""
    center = Center.objects.filter(pk=payload.center_id).first()
    if center is None or not permissions.can_manage_center_events(request.user, center):
        raise NotFound(_("No such center among yours."), fields={"center_id": _("Does not exist.")})
    products = _products(payload.product_ids) or []
    producers = _producers(payload.producer_ids) or []
    user = request.user

    def work() -> tuple[int, Any]:
        event = services.event_create(
            actor=user,
            center=center,
            kind=payload.kind,
            title=payload.title,
            description=payload.description,
            address=payload.address,
            latitude=payload.latitude,
            longitude=payload.longitude,
            languages=payload.languages,
            products=products,
            producers=producers,
        )
        return 201, as_json(PromotionEventDetail, event_detail(managed_event(request, event.pk), staff=True))

    status, answer = run_once(f"events:{user.pk}", idempotency_key, payload.model_dump(mode="json"), work)
    return Status(status, answer)


@router.patch("/{event_id}", response={200: PromotionEventDetail, **ERRORS_AUTH}, summary="Edit an event")
def update_event(
    request: HttpRequest, payload: PromotionEventPatch, event_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """Only the fields sent change; `product_ids` and `producer_ids` replace the featured ones. A
    cancelled event is not edited (409)."""
    event = managed_event(request, event_id)
    changes = payload.model_dump(exclude_unset=True)
    products = _products(changes.pop("product_ids", None))
    producers = _producers(changes.pop("producer_ids", None))
    for name in ("kind", "title", "languages"):
        if name in changes and changes[name] is None:
            raise DomainError(_("Some details are missing or wrong."), fields={name: _("Required.")})
    services.event_update(actor=request.user, event=event, products=products, producers=producers, **changes)
    return event_detail(managed_event(request, event_id), staff=True)


@router.post(
    "/{event_id}/publish", response={200: PromotionEventDetail, **ERRORS_AUTH}, summary="Publish an event"
)
def publish_event(request: HttpRequest, event_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """A draft shows on the public pages and its sessions take registrations; anything else is 409."""
    services.event_publish(actor=request.user, event=managed_event(request, event_id))
    return event_detail(managed_event(request, event_id), staff=True)


@router.post(
    "/{event_id}/cancel", response={200: PromotionEventDetail, **ERRORS_AUTH}, summary="Cancel an event"
)
def cancel_event(
    request: HttpRequest, payload: EvReasonIn, event_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The event and every session still to come are cancelled; each registered party is refunded in
    full and told the reason (required)."""
    services.event_cancel(actor=request.user, event=managed_event(request, event_id), reason=payload.reason)
    return event_detail(managed_event(request, event_id), staff=True)


# --- sessions --------------------------------------------------------------------------------------


class SessionQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/{event_id}/sessions",
    auth=PUBLIC_AUTH,
    response={200: EvSessionPage, **ERRORS_PUBLIC},
    summary="An event's sessions",
)
def list_sessions(
    request: HttpRequest, filters: Query[SessionQuery], event_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """Every session of a visible event, past and cancelled ones too, in time order, with free seats:
    four queries (the event, the count, the page, their seats)."""
    event = visible_event(request, pk=event_id)
    count, page = paginate(
        Session.objects.filter(event=event).order_by("starts_at", "pk"), filters.limit, filters.offset
    )
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": sessions_out(page)}


SESSION_FIELDS = {"event": "event_id"}


@router.post("/{event_id}/sessions", response={201: EvSessionOut, **ERRORS_AUTH}, summary="Add a session")
def create_session(
    request: HttpRequest, payload: EvSessionIn, event_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    """A dated session with its seats and price per person (0 is free). It must start in the future,
    end after it starts and last at most 14 days. A time without an offset is Hanoi time."""
    event = managed_event(request, event_id)
    with client_field_names(SESSION_FIELDS):
        session = services.session_create(
            actor=request.user,
            event=event,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            capacity=payload.capacity,
            price=payload.price,
            makes=payload.makes,
            refund_rule=[t.model_dump() for t in payload.refund_rule] if payload.refund_rule else None,
        )
    return Status(201, sessions_out([session])[0])


@router.post(
    "/{event_id}/sessions/recurring",
    response={201: EvSessionsMade, **ERRORS_AUTH},
    summary="Add sessions from a recurrence rule",
)
def create_recurring_sessions(
    request: HttpRequest, payload: RecurringSessionsIn, event_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    """The sessions a rule gives from `starts_on` at `start_time` (Hanoi time), each lasting
    `duration_minutes`, until a day or for `count` sessions: all made or none (at most
    EVENTS_MAX_RECURRING). Every session must start in the future."""
    event = managed_event(request, event_id)
    rule = payload.rule if isinstance(payload.rule, str) else payload.rule.model_dump()
    with client_field_names(SESSION_FIELDS):
        made = services.sessions_create_recurring(
            actor=request.user,
            event=event,
            rule=rule,
            starts_on=payload.starts_on,
            start_time=payload.start_time,
            duration=dt.timedelta(minutes=payload.duration_minutes),
            capacity=payload.capacity,
            price=payload.price,
            until=payload.until,
            count=payload.count,
            makes=payload.makes,
            refund_rule=[t.model_dump() for t in payload.refund_rule] if payload.refund_rule else None,
        )
    return Status(201, {"count": len(made), "items": sessions_out(made)})


@router.get(
    "/sessions/{session_id}",
    auth=PUBLIC_AUTH,
    response={200: EvSessionOut, **ERRORS_PUBLIC},
    summary="One session",
)
def get_session(request: HttpRequest, session_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    return sessions_out([visible_session(request, session_id)])[0]


@router.patch("/sessions/{session_id}", response={200: EvSessionOut, **ERRORS_AUTH}, summary="Edit a session")
def update_session(
    request: HttpRequest, payload: EvSessionPatch, session_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """Seats (never below those held and taken), price (for registrations from now on), what
    participants make, the cancellation rule. More seats go to the waiting list at once."""
    session = managed_session(request, session_id)
    changes = {
        name: value for name, value in payload.model_dump(exclude_unset=True).items() if value is not None
    }
    with client_field_names(SESSION_FIELDS):
        services.session_update(actor=request.user, session=session, **changes)
    return sessions_out([managed_session(request, session_id)])[0]


@router.post(
    "/sessions/{session_id}/cancel",
    response={200: EvSessionOut, **ERRORS_AUTH},
    summary="Cancel a session",
)
def cancel_session(
    request: HttpRequest, payload: EvReasonIn, session_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """Before it starts (409 after): every registration is cancelled and refunded in full, the waiting
    list closed, every party told the reason (required)."""
    session = managed_session(request, session_id)
    services.session_cancel(actor=request.user, session=session, reason=payload.reason)
    return sessions_out([managed_session(request, session_id)])[0]
