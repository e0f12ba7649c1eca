"""Writes of the tours app: `<noun>_<verb>(*, actor, …)`, each in one transaction, e-mails after commit."""

from .bookings import (
    BookingFull,
    booking_cancel,
    booking_confirm,
    booking_contact_set,
    booking_create,
    booking_hold_expired,
    booking_pay,
    check_in_by_code,
    paid_of,
    refund_share,
    refunded_of,
    seats_freed,
)
from .departures import (
    capacity_ids,
    departure_cancel,
    departure_complete,
    departure_create,
    departures_create_recurring,
)
from .operators import operator_create, operator_update
from .photos import (
    tour_photo_add,
    tour_photo_move,
    tour_photo_remove,
    tour_photo_update,
    tour_photos_reorder,
)
from .tours import stops_reorder, stops_set, tour_archive, tour_create, tour_publish, tour_update
from .visits import commission_rate_set, visit_check_in, visit_minutes
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
    "BookingFull",
    "booking_cancel",
    "booking_confirm",
    "booking_contact_set",
    "booking_create",
    "booking_hold_expired",
    "booking_pay",
    "capacity_ids",
    "check_in_by_code",
    "commission_rate_set",
    "departure_cancel",
    "departure_complete",
    "departure_create",
    "departures_create_recurring",
    "operator_create",
    "operator_update",
    "paid_of",
    "refund_share",
    "refunded_of",
    "seats_freed",
    "stops_reorder",
    "stops_set",
    "tour_archive",
    "tour_create",
    "tour_photo_add",
    "tour_photo_move",
    "tour_photo_remove",
    "tour_photo_update",
    "tour_photos_reorder",
    "tour_publish",
    "tour_update",
    "visit_check_in",
    "visit_minutes",
    "waitlist_accept",
    "waitlist_expire_offers",
    "waitlist_join",
    "waitlist_leave",
    "waitlist_offer_next",
]
