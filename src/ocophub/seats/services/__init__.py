"""Writes of the seat core (see core.py for the rules every change follows): capacities and holds in
core.py, a hold's later moves in moves.py."""

from .core import (
    HOLD_EXPIRED_HOOKS,
    HOLD_EXPIRY_SCHEDULERS,
    MAX_SEATS,
    OWNER_TYPE,
    SeatsFull,
    capacity_create,
    capacity_resize,
    check_seats,
    seats_hold,
)
from .moves import hold_confirm, hold_release, holds_expire, seats_cancel, seats_check_in

__all__ = [
    "HOLD_EXPIRED_HOOKS",
    "HOLD_EXPIRY_SCHEDULERS",
    "MAX_SEATS",
    "OWNER_TYPE",
    "SeatsFull",
    "capacity_create",
    "capacity_resize",
    "check_seats",
    "hold_confirm",
    "hold_release",
    "holds_expire",
    "seats_cancel",
    "seats_check_in",
    "seats_hold",
]
