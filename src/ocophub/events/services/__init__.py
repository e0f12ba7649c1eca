"""Writes of the events app: `<noun>_<verb>(*, actor, …)`, each in one transaction, e-mails after commit."""

from .events import event_cancel, event_create, event_photo_add, event_publish, event_update
from .registrations import (
    RegistrationFull,
    check_in_by_code,
    refund_share,
    registration_cancel,
    registration_create,
    registration_hold_expired,
    registration_pay,
    registration_pay_at_door,
)
from .sessions import (
    session_cancel,
    session_create,
    session_message_parties,
    session_update,
    sessions_create_recurring,
)
from .waitlist import (
    OFFER_EXPIRY_SCHEDULERS,
    waitlist_accept,
    waitlist_expire_offers,
    waitlist_join,
    waitlist_leave,
    waitlist_offer_next,
)

__all__ = [
    "OFFER_EXPIRY_SCHEDULERS",
    "RegistrationFull",
    "check_in_by_code",
    "event_cancel",
    "event_create",
    "event_photo_add",
    "event_publish",
    "event_update",
    "refund_share",
    "registration_cancel",
    "registration_create",
    "registration_hold_expired",
    "registration_pay",
    "registration_pay_at_door",
    "session_cancel",
    "session_create",
    "session_message_parties",
    "session_update",
    "sessions_create_recurring",
    "waitlist_accept",
    "waitlist_expire_offers",
    "waitlist_join",
    "waitlist_leave",
    "waitlist_offer_next",
]
