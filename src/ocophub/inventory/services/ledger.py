"""Quantities and the ledger: the limits and errors of stock changes, and the row each change writes."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict, DomainError

from ..models import Movement

MAX_QUANTITY = 1_000_000


class SoldOut(Conflict):
    code = "sold_out"


class Contended(Exception):
    """A lot changed between the read and the conditional UPDATE: the caller's transaction is rolled back
    and tried again on a fresh read."""


@dataclass(frozen=True)
class Allocation:
    """A quantity taken from (or held in) one stock row, i.e. one lot at one center."""

    stock_id: int
    lot_id: int
    quantity: int


def check_quantity(quantity: Any, field: str = "quantity") -> int:
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or quantity <= 0
        or quantity > MAX_QUANTITY
    ):
        raise DomainError(
            _("The quantity must be a whole number from 1 to %(max)s.")
            % {"max": f"{MAX_QUANTITY:,}".replace(",", ".")},
            fields={field: _("A whole number above zero.")},
        )
    return quantity


def ledger_row(
    stock_id: int,
    kind: str,
    on_hand: int,
    reserved: int,
    *,
    actor: Any,
    reference: str = "",
    reason: str = "",
) -> Movement:
    return Movement(
        stock_id=stock_id,
        kind=kind,
        on_hand_delta=on_hand,
        reserved_delta=reserved,
        actor=actor if getattr(actor, "pk", None) else None,
        reference=reference[:60],
        reason=reason[:300],
    )
