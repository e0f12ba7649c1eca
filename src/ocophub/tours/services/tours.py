"""Tours: create, edit, publish, archive; the itinerary's stops set and reordered."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.centers.models import Center
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.services import change_record_write, changes_between, field_values
from ocophub.common.text import slug as make_slug
from ocophub.events.models import EVENT_LANGUAGES, EventState, Session, SessionState
from ocophub.events.services.sessions import check_refund_rule
from ocophub.places.models import CraftVillage

from ..models import (
    LAT_BOUNDS,
    LNG_BOUNDS,
    RUNNING_STATES,
    TOUR_TRANSITIONS,
    BookingType,
    Departure,
    Operator,
    StopKind,
    Tour,
    TourEvent,
    TourState,
    TourStop,
)
from .base import actor_or_none, invalid, move, whole

TOUR_FIELDS = (
    "title",
    "summary",
    "description",
    "languages",
    "included",
    "excluded",
    "meeting_point",
    "meeting_latitude",
    "meeting_longitude",
    "adult_price",
    "child_price",
    "children_need_adult",
    "booking_type",
    "cutoff_hours",
    "refund_rule",
    "is_illustrative",
)
TEXT_LIMITS = {
    "title": 200,
    "summary": 300,
    "description": 20_000,
    "included": 5000,
    "excluded": 5000,
    "meeting_point": 300,
}
MAX_STOPS = 30


def coordinate(
    value: Any, bounds: tuple[Decimal, Decimal], field: str, errors: dict[str, str]
) -> Decimal | None:
    """A latitude or longitude inside Hanoi's box, to six decimals; None when empty."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors[field] = _("A number with a decimal point.")
        return None
    if not bounds[0] <= number <= bounds[1]:
        errors[field] = _("Not in Hanoi (between %(low)s and %(high)s).") % {
            "low": bounds[0],
            "high": bounds[1],
        }
    return number


def _tour_fields(data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        if name not in data:
            continue
        value = data[name] if data[name] is not None else ""
        if not isinstance(value, str):
            errors[name] = _("Enter text.")
            continue
        value = value.strip()
        if len(value) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": limit}
        clean[name] = value
    if "title" in clean and not clean["title"] and "title" not in errors:
        errors["title"] = _("Enter the tour's title.")
    if "meeting_point" in clean and not clean["meeting_point"] and "meeting_point" not in errors:
        errors["meeting_point"] = _("Say where the group meets.")
    if "languages" in data:
        languages = data["languages"]
        if not isinstance(languages, list) or not languages:
            errors["languages"] = _("Choose at least one language.")
        elif any(code not in EVENT_LANGUAGES for code in languages):
            errors["languages"] = _("Unknown language.")
        else:
            clean["languages"] = list(dict.fromkeys(languages))
    if "meeting_latitude" in data:
        clean["meeting_latitude"] = coordinate(
            data["meeting_latitude"], LAT_BOUNDS, "meeting_latitude", errors
        )
    if "meeting_longitude" in data:
        clean["meeting_longitude"] = coordinate(
            data["meeting_longitude"], LNG_BOUNDS, "meeting_longitude", errors
        )
    for name in ("adult_price", "child_price"):
        if name in data:
            if not whole(data[name]):
                errors[name] = _("The price is a whole number of đồng.")
            elif data[name] < 0:
                errors[name] = _("The price cannot be negative (0 is free).")
            else:
                clean[name] = data[name]
    if "booking_type" in data:
        if data["booking_type"] not in BookingType.values:
            errors["booking_type"] = _("Instant, or on request (the operator confirms each booking).")
        else:
            clean["booking_type"] = data["booking_type"]
    if "cutoff_hours" in data:
        if not whole(data["cutoff_hours"]) or not 0 <= data["cutoff_hours"] <= 24 * 30:
            errors["cutoff_hours"] = _("A whole number of hours from 0 to 720.")
        else:
            clean["cutoff_hours"] = data["cutoff_hours"]
    if "refund_rule" in data:
        clean["refund_rule"] = check_refund_rule(data["refund_rule"], errors)
    for name in ("children_need_adult", "is_illustrative"):
        if name in data:
            clean[name] = bool(data[name])
    return clean


def _unique_slug(title: str, exclude: int | None = None) -> str:
    base = make_slug(title, 200) or "tour"
    candidate, n = base, 2
    taken = Tour.objects.filter(slug=candidate)
    while (taken.exclude(pk=exclude) if exclude else taken).exists():
        candidate, n = f"{base}-{n}", n + 1
        taken = Tour.objects.filter(slug=candidate)
    return candidate


def tour_move(tour: Tour, to_state: str, *, actor: Any, reason: str = "") -> str:
    return move(
        tour,
        to_state,
        TOUR_TRANSITIONS,
        actor=actor,
        reason=reason,
        event_model=TourEvent,
        event_field="tour",
        labels=TourState,
    )


@transaction.atomic
def tour_create(*, actor: Any, operator: Operator, **data: Any) -> Tour:
    """A draft tour of an active operator; published once it has stops."""
    unknown = set(data) - set(TOUR_FIELDS)
    if unknown:
        raise invalid({name: _("Not a field of a tour.") for name in unknown})
    errors: dict[str, str] = {}
    data = {"title": "", "meeting_point": "", "languages": ["vi"]} | data
    clean = _tour_fields(data, errors)
    if not operator.is_active:
        errors["operator"] = _("This operator is not active.")
    if errors:
        raise invalid(errors)
    tour = Tour.objects.create(operator=operator, slug=_unique_slug(clean["title"]), **clean)
    TourEvent.objects.create(tour=tour, actor=actor_or_none(actor), to_state=TourState.DRAFT)
    return tour


@transaction.atomic
def tour_update(*, actor: Any, tour: Tour, **changes: Any) -> Tour:
    """Change a tour's details (not archived). New prices and rules apply to bookings made from now on."""
    unknown = set(changes) - set(TOUR_FIELDS)
    if unknown:
        raise invalid({name: _("Not a field of a tour.") for name in unknown})
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    if tour.state == TourState.ARCHIVED:
        raise Conflict(_("This tour is archived."), fields={"state": _("Archived.")}, code="archived")
    errors: dict[str, str] = {}
    clean = _tour_fields(changes, errors)
    if errors:
        raise invalid(errors)
    before = field_values(tour, TOUR_FIELDS)
    for name, value in clean.items():
        setattr(tour, name, value)
    if "title" in clean and clean["title"] != before["title"] and tour.state == TourState.DRAFT:
        tour.slug = _unique_slug(clean["title"], exclude=tour.pk)
    tour.save()
    change_record_write(
        actor=actor, obj=tour, changes=changes_between(before, field_values(tour, TOUR_FIELDS))
    )
    return tour


@transaction.atomic
def tour_publish(*, actor: Any, tour: Tour) -> Tour:
    """A draft tour with at least one stop goes public."""
    tour = Tour.objects.select_related("operator").get(pk=tour.pk)
    if not TourStop.objects.filter(tour=tour).exists():
        raise invalid({"stops": _("Add the itinerary's stops before publishing.")})
    if not tour.operator.is_active:
        raise invalid({"operator": _("This operator is not active.")})
    tour_move(tour, TourState.PUBLISHED, actor=actor)
    return tour


@transaction.atomic
def tour_archive(*, actor: Any, tour: Tour, reason: str = "") -> Tour:
    """The tour is no longer sold; departures already made still run (or are cancelled one by one)."""
    tour_move(tour, TourState.ARCHIVED, actor=actor, reason=reason)
    return tour


# --- stops --------------------------------------------------------------------------------------------


def _stop(raw: Any, n: int, errors: dict[str, str]) -> TourStop | None:
    """One stop as given ({"kind": "center", "center": 3, "minutes": 60, …}), checked; None when wrong."""
    field = f"stops.{n}"
    if not isinstance(raw, dict):
        errors[field] = _("Not a stop.")
        return None
    kind = raw.get("kind")
    minutes = raw.get("minutes")
    stop = TourStop(kind=kind or "", position=n + 1)
    local: dict[str, str] = {}
    if kind not in StopKind.values:
        local["kind"] = _("A center, a craft village, a workshop session, a meal or free time.")
    if not whole(minutes) or not 0 < minutes <= 24 * 60:
        local["minutes"] = _("The planned time is a whole number of minutes above zero.")
    else:
        stop.minutes = minutes
    title = raw.get("title", "") or ""
    note = raw.get("note", "") or ""
    if not isinstance(title, str) or len(title.strip()) > 200:
        local["title"] = _("At most 200 characters.")
    else:
        stop.title = title.strip()
    if not isinstance(note, str) or len(note.strip()) > 300:
        local["note"] = _("At most 300 characters.")
    else:
        stop.note = note.strip()
    stop.latitude = coordinate(raw.get("latitude"), LAT_BOUNDS, "latitude", local)
    stop.longitude = coordinate(raw.get("longitude"), LNG_BOUNDS, "longitude", local)
    if (stop.latitude is None) != (stop.longitude is None) and "latitude" not in local:
        local["latitude"] = _("Give both the latitude and the longitude, or neither.")
    ref: Any = raw.get(
        {"center": "center", "village": "craft_village", "workshop": "session"}.get(str(kind), ""), None
    )
    pk: Any = getattr(ref, "pk", ref)
    # centers and craft villages are the city's own records: every one lies in Hanoi; a stop's own
    # coordinates are checked against Hanoi's box above
    if kind == StopKind.CENTER:
        stop.center = Center.objects.filter(pk=pk).first() if whole(pk) else None
        if stop.center is None:
            local["center"] = _("Choose a center in Hanoi.")
    elif kind == StopKind.VILLAGE:
        stop.craft_village = CraftVillage.objects.filter(pk=pk).first() if whole(pk) else None
        if stop.craft_village is None:
            local["craft_village"] = _("Choose a craft village in Hanoi.")
    elif kind == StopKind.WORKSHOP:
        session = Session.objects.select_related("event").filter(pk=pk).first() if whole(pk) else None
        if session is None:
            local["session"] = _("Choose a workshop session.")
        elif session.state != SessionState.SCHEDULED or session.event.state == EventState.CANCELLED:
            local["session"] = _("This workshop session is cancelled.")
        elif session.starts_at <= timezone.now():
            local["session"] = _("This workshop session is over.")
        else:
            stop.session = session
    for name, message in local.items():
        errors[f"{field}.{name}"] = message
    return None if local else stop


@transaction.atomic
def stops_set(*, actor: Any, tour: Tour, stops: Any) -> list[TourStop]:
    """The tour's itinerary, in order, replacing the one before: all the stops are right or none is
    written. Not once the tour has departures taking bookings (their seats depend on the workshops)."""
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    if tour.state == TourState.ARCHIVED:
        raise Conflict(_("This tour is archived."), fields={"state": _("Archived.")}, code="archived")
    if Departure.objects.filter(tour=tour, state__in=RUNNING_STATES).exists():
        raise Conflict(
            _("This tour has departures: cancel them before changing the itinerary."),
            fields={"stops": _("Departures are booked on this itinerary.")},
            code="has_departures",
        )
    if not isinstance(stops, list | tuple) or not stops:
        raise invalid({"stops": _("Add at least one stop.")})
    if len(stops) > MAX_STOPS:
        raise invalid({"stops": _("At most %(n)s stops.") % {"n": MAX_STOPS}})
    errors: dict[str, str] = {}
    made = [_stop(raw, n, errors) for n, raw in enumerate(stops)]
    if errors:
        raise DomainError(_("Some stops are wrong."), fields=errors)
    before = list(TourStop.objects.filter(tour=tour).values_list("kind", "minutes"))
    TourStop.objects.filter(tour=tour).delete()
    rows = []
    for stop in made:
        assert stop is not None
        stop.tour = tour
        rows.append(stop)
    TourStop.objects.bulk_create(rows)
    change_record_write(
        actor=actor,
        obj=tour,
        changes={"stops": [before, [(s.kind, s.minutes) for s in rows]]},
    )
    return list(TourStop.objects.filter(tour=tour).order_by("position"))


@transaction.atomic
def stops_reorder(*, actor: Any, tour: Tour, order: Any) -> list[TourStop]:
    """Put the tour's stops in the order of `order` (their ids, every one once), e.g. the planner's."""
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    if tour.state == TourState.ARCHIVED:
        raise Conflict(_("This tour is archived."), fields={"state": _("Archived.")}, code="archived")
    stops = {stop.pk: stop for stop in TourStop.objects.filter(tour=tour)}
    if (
        not isinstance(order, list | tuple)
        or not all(whole(pk) for pk in order)
        or sorted(order) != sorted(stops)
    ):
        raise invalid({"order": _("List every stop of the tour once.")})
    # two passes: positions are unique, so the stops first move out of the way
    offset = len(stops) + 1000
    for n, pk in enumerate(order):
        TourStop.objects.filter(pk=pk).update(position=offset + n)
    for n, pk in enumerate(order):
        TourStop.objects.filter(pk=pk).update(position=n + 1)
    change_record_write(actor=actor, obj=tour, changes={"stop_order": [sorted(stops), list(order)]})
    return list(TourStop.objects.filter(tour=tour).order_by("position"))
