"""What the events' services share: settings, the contact's checks, guarded state moves, ticket codes."""

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.accounts.phone import normalize_phone
from ocophub.common.errors import Conflict, DomainError, NotFound

# Ticket codes: 12 characters of an alphabet without look-alikes (0/O, 1/I/L): 60 random bits, which
# nobody guesses, short enough to type when a scanner fails.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def hold_minutes() -> int:
    """How long an unpaid VietQR registration holds its seats."""
    return int(getattr(settings, "REGISTRATION_HOLD_MINUTES", 30))


def offer_minutes() -> int:
    """How long a waiting party has to take up the seats offered to it."""
    return int(getattr(settings, "WAITLIST_OFFER_MINUTES", 120))


def max_party() -> int:
    """The most people one registration (or one waiting-list entry) may bring."""
    return int(getattr(settings, "EVENTS_MAX_PARTY", 20))


def max_recurring() -> int:
    """The most sessions one recurrence rule may make at once."""
    return int(getattr(settings, "EVENTS_MAX_RECURRING", 100))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str) -> str:
    """What a scanner or a person typed, as a code: letters and digits only, upper case.

    A scan of a ticket's QR code gives the code itself; a typed one may carry spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:40]


def actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def contact_check(
    *, name: Any, email: Any, phone: Any, party_size: Any, errors: dict[str, str]
) -> tuple[str, str, str, int]:
    """The contact of a registration or a waiting-list entry: the cleaned name, e-mail, phone, party.

    Errors go into `errors` (field → message); the caller raises once all fields are checked."""
    name = name.strip()[:120] if isinstance(name, str) else ""
    if not name:
        errors["name"] = _("Enter the name of the person registering.")
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
    size = 0
    if isinstance(party_size, bool) or not isinstance(party_size, int) or party_size <= 0:
        errors["party_size"] = _("The number of people must be a whole number above zero.")
    elif party_size > max_party():
        errors["party_size"] = _("At most %(n)s people per registration.") % {"n": max_party()}
    else:
        size = party_size
    return name, email, cleaned_phone, size


def invalid(errors: dict[str, str]) -> DomainError:
    return DomainError(_("Some details are missing or wrong."), fields=errors)


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
    """Move `obj.state` to `to_state` if the map allows it, by a conditional update, with an event row.

    The state is read afresh and changed only where it is still what was read, so that of two racing
    moves (a payment and an expiry) exactly one wins; the loser gets a Conflict. Returns the old state."""
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
