"""Events: create, edit, publish, cancel (with every session still to come), photos."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.images import photo_check
from ocophub.common.services import change_record_write, changes_between, field_values
from ocophub.common.text import slug as make_slug
from ocophub.common.thumbnails import thumbnails_make

from ..models import (
    EVENT_LANGUAGES,
    EVENT_TRANSITIONS,
    Event,
    EventEvent,
    EventKind,
    EventPhoto,
    EventState,
    Session,
    SessionState,
)
from ._base import actor_or_none, invalid, move
from .sessions import cancel_session_and_refund

EDITABLE = ("kind", "title", "description", "address", "latitude", "longitude", "languages")
LAT_RANGE = (Decimal("20.5"), Decimal("21.5"))
LNG_RANGE = (Decimal("105.2"), Decimal("106.1"))


def _coordinate(
    value: Any, bounds: tuple[Decimal, Decimal], field: str, errors: dict[str, str]
) -> Decimal | None:
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


def _event_fields(data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Check and clean the editable fields present in `data`."""
    clean: dict[str, Any] = {}
    if "kind" in data:
        if data["kind"] not in EventKind.values:
            errors["kind"] = _("Choose a kind of event.")
        clean["kind"] = data["kind"]
    if "title" in data:
        title = data["title"].strip() if isinstance(data["title"], str) else ""
        if not title:
            errors["title"] = _("Enter a title.")
        elif len(title) > 200:
            errors["title"] = _("At most 200 characters.")
        clean["title"] = title
    if "description" in data:
        clean["description"] = (data["description"] or "").replace("\x00", "").strip()
    if "address" in data:
        address = (data["address"] or "").strip()
        if len(address) > 300:
            errors["address"] = _("At most 300 characters.")
        clean["address"] = address
    if "latitude" in data:
        clean["latitude"] = _coordinate(data["latitude"], LAT_RANGE, "latitude", errors)
    if "longitude" in data:
        clean["longitude"] = _coordinate(data["longitude"], LNG_RANGE, "longitude", errors)
    if "languages" in data:
        languages = list(dict.fromkeys(data["languages"] or []))
        if not languages:
            errors["languages"] = _("Choose at least one language.")
        elif any(code not in EVENT_LANGUAGES for code in languages):
            errors["languages"] = _("Unknown language.")
        clean["languages"] = languages
    return clean


def _place_check(event_like: dict[str, Any], errors: dict[str, str]) -> None:
    """Coordinates come in pairs, and only with an address away from the center."""
    lat, lng = event_like.get("latitude"), event_like.get("longitude")
    if (lat is None) != (lng is None):
        errors.setdefault("latitude" if lat is None else "longitude", _("Give both latitude and longitude."))
    if lat is not None and not event_like.get("address"):
        errors.setdefault("address", _("Give the address of the place on the map."))


def _unique_slug(title: str, exclude: int | None = None) -> str:
    base = make_slug(title, 200) or "su-kien"
    candidate, n = base, 2
    taken = Event.objects.filter(slug=candidate)
    while (taken.exclude(pk=exclude) if exclude else taken).exists():
        candidate, n = f"{base}-{n}", n + 1
        taken = Event.objects.filter(slug=candidate)
    return candidate


def _featured(event: Event, products: Iterable[Product] | None, producers: Iterable[Producer] | None) -> None:
    if products is not None:
        event.products.set(list(products))
    if producers is not None:
        event.producers.set(list(producers))


@transaction.atomic
def event_create(
    *,
    actor: Any,
    center: Center,
    kind: str,
    title: str,
    description: str = "",
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    languages: Iterable[str] = ("vi",),
    products: Iterable[Product] = (),
    producers: Iterable[Producer] = (),
    is_illustrative: bool = False,
) -> Event:
    """A draft event of `center`, held there or (with an address) elsewhere in Hanoi."""
    errors: dict[str, str] = {}
    data = _event_fields(
        {
            "kind": kind,
            "title": title,
            "description": description,
            "address": address,
            "latitude": latitude,
            "longitude": longitude,
            "languages": list(languages),
        },
        errors,
    )
    _place_check(data, errors)
    if errors:
        raise invalid(errors)
    event = Event.objects.create(
        center=center, slug=_unique_slug(data["title"]), is_illustrative=is_illustrative, **data
    )
    _featured(event, products, producers)
    EventEvent.objects.create(event=event, actor=actor_or_none(actor), to_state=EventState.DRAFT)
    return event


@transaction.atomic
def event_update(
    *,
    actor: Any,
    event: Event,
    products: Iterable[Product] | None = None,
    producers: Iterable[Producer] | None = None,
    **changes: Any,
) -> Event:
    """Edit the fields named in `changes` (and the featured products and producers); kept in history."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here."), fields={k: _("Not editable.") for k in unknown}
        )
    event = Event.objects.get(pk=event.pk)
    if event.state == EventState.CANCELLED:
        raise Conflict(
            _("A cancelled event cannot be edited."), fields={"state": _("Cancelled.")}, code="cancelled"
        )
    errors: dict[str, str] = {}
    clean = _event_fields(changes, errors)
    merged = {name: getattr(event, name) for name in EDITABLE} | clean
    _place_check(merged, errors)
    if errors:
        raise invalid(errors)
    names = [*EDITABLE, "products", "producers"]
    before = field_values(event, names)
    for name, value in clean.items():
        setattr(event, name, value)
    event.save()
    _featured(event, products, producers)
    change_record_write(actor=actor, obj=event, changes=changes_between(before, field_values(event, names)))
    return event


def _event_move(event: Event, to_state: str, *, actor: Any, reason: str) -> None:
    move(
        event,
        to_state,
        EVENT_TRANSITIONS,
        actor=actor,
        reason=reason,
        event_model=EventEvent,
        event_field="event",
        labels=EventState,
    )


@transaction.atomic
def event_publish(*, actor: Any, event: Event) -> Event:
    """The event shows on the public pages and its sessions take registrations."""
    _event_move(event, EventState.PUBLISHED, actor=actor, reason="")
    return event


@transaction.atomic
def event_cancel(*, actor: Any, event: Event, reason: str) -> Event:
    """Cancel the event and every session of it still to come (each refunded and told)."""
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": _("Say why the event is cancelled: the registered parties are told.")})
    _event_move(event, EventState.CANCELLED, actor=actor, reason=reason)
    now = timezone.now()
    for session in Session.objects.filter(event=event, state=SessionState.SCHEDULED, starts_at__gt=now):
        cancel_session_and_refund(session, actor=actor, reason=reason)
    return event


@transaction.atomic
def event_photo_add(*, actor: Any, event: Event, image: Any, caption: str = "") -> EventPhoto:
    """A photo of the event: JPEG, PNG or WebP, at most 8 MB, checked by reading the image itself."""
    photo_check(image)
    photo = EventPhoto.objects.create(
        event=event, image=image, caption=caption.replace("\x00", "")[:200], position=event.photos.count()
    )
    thumbnails_make(photo.image.name)
    return photo
