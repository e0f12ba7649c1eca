"""What the tours' services share: settings, contact and party checks, guarded state moves, codes."""

import secrets
from typing import Any, TypeGuard

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.accounts.phone import normalize_phone
from ocophub.common.errors import Conflict, DomainError, NotFound

# Ticket codes: 12 characters without look-alikes (0/O, 1/I/L), 60 random bits; "T" first so that a
# scanner tells a tour ticket from an event's at a glance.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 11

OWNER_TYPE = "tours.departure"


def hold_minutes() -> int:
    """How long an unpaid instant booking holds its seats."""
    return int(getattr(settings, "TOURS_HOLD_MINUTES", 30))


def confirmation_hours() -> int:
    """How long an on-request booking holds its seats while the operator decides."""
    return int(getattr(settings, "TOURS_CONFIRMATION_HOURS", 24))


def offer_minutes() -> int:
    return int(getattr(settings, "TOURS_OFFER_MINUTES", 120))


def max_party() -> int:
    return int(getattr(settings, "TOURS_MAX_PARTY", 40))


def max_recurring() -> int:
    return int(getattr(settings, "TOURS_MAX_RECURRING", 100))


def new_code() -> str:
    return "T" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str) -> str:
    """What a scanner or a person typed, as a code: letters and digits only, upper case."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:40]


def actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def invalid(errors: dict[str, str]) -> DomainError:
    return DomainError(_("Some details are missing or wrong."), fields=errors)


def whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def party_check(
    *, adults: Any, children: Any, children_need_adult: bool, errors: dict[str, str]
) -> tuple[int, int]:
    """The party of a booking or a waiting-list entry: whole numbers, at least one person, children
    with an adult where the tour asks for one, at most TOURS_MAX_PARTY people."""
    if not whole(adults) or adults < 0:
        errors["adults"] = _("The number of adults must be a whole number, zero or more.")
    if not whole(children) or children < 0:
        errors["children"] = _("The number of children must be a whole number, zero or more.")
    if errors.keys() & {"adults", "children"}:
        return 0, 0
    if adults + children == 0:
        errors["adults"] = _("A booking needs at least one person.")
    elif adults == 0 and children_need_adult:
        errors["adults"] = _("Children on this tour travel with at least one adult.")
    elif adults + children > max_party():
        errors["adults"] = _("At most %(n)s people per booking.") % {"n": max_party()}
    return (adults, children) if not errors.keys() & {"adults", "children"} else (0, 0)


def contact_check(*, name: Any, email: Any, phone: Any, errors: dict[str, str]) -> tuple[str, str, str]:
    """The cleaned contact name, e-mail and phone; errors go into `errors`."""
    name = name.strip()[:120] if isinstance(name, str) else ""
    if not name:
        errors["name"] = _("Enter the name of the person booking.")
    email = email.strip().lower() if isinstance(email, str) else ""
    if not email:
        errors["email"] = _("Enter an e-mail address: the ticket is sent there.")
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Not a valid e-mail address.")
    phone_text = phone.strip() if isinstance(phone, str) else ""
    cleaned_phone = ""
    if phone_text:
        cleaned_phone = normalize_phone(phone_text) or ""
        if not cleaned_phone:
            errors["phone"] = _("Not a Vietnamese phone number.")
    return name, email, cleaned_phone


def move(
    obj: models.Model,
    to_state: str,
    transitions: dict[str, tuple[str, ...]],
    *,
    actor: Any,
    reason: str,
    event_model: type[models.Model],
    event_field: str,
    labels: type[models.TextChoices],
) -> str:
    """Move `obj.state` to `to_state` if the map allows it, by a conditional update, with an event row;
    the old state. Of two racing moves exactly one wins; the loser gets a Conflict."""
    model = type(obj)
    current = model._default_manager.filter(pk=obj.pk).values_list("state", flat=True).first()
    if current is None:
        raise NotFound()
    if to_state not in transitions.get(current, ()):
        raise Conflict(
            _("It is “%(state)s” and cannot become “%(to)s”.")
            % {"state": labels(current).label, "to": labels(to_state).label},
            fields={"state": _("Not allowed from the current state.")},
            code=f"state_{current}",
        )
    updates: dict[str, Any] = {"state": to_state}
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        updates["updated_at"] = timezone.now()
    if not model._default_manager.filter(pk=obj.pk, state=current).update(**updates):
        raise Conflict(_("It changed meanwhile; reload it."), fields={"state": _("Changed meanwhile.")})
    event_model._default_manager.create(
        **{event_field: obj},
        actor=actor_or_none(actor),
        from_state=current,
        to_state=to_state,
        reason=reason[:2000],
    )
    obj.state = to_state  # type: ignore[attr-defined]
    return str(current)
