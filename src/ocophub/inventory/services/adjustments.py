"""Count corrections, transfers to another center and returns to the producer."""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ocophub.centers.models import Center
from ocophub.common.errors import DomainError

from ..models import Lot, MovementKind, Stock
from .agreements import require_agreement
from .ledger import MAX_QUANTITY, SoldOut, check_quantity, ledger_row
from .receiving import stock_row


def _take_exact(stock_id: int, quantity: int, kind: str, *, actor: Any, reference: str, reason: str) -> None:
    """Take `quantity` of one stock row's available goods, or refuse when there are not that many."""
    changed = Stock.objects.filter(pk=stock_id, on_hand__gte=F("reserved") + quantity).update(
        on_hand=F("on_hand") - quantity
    )
    if not changed:
        available = Stock.objects.filter(pk=stock_id).values_list("on_hand", "reserved").first() or (0, 0)
        raise SoldOut(
            _("Only %(n)s available.") % {"n": available[0] - available[1]},
            fields={"quantity": _("More than is available.")},
        )
    ledger_row(stock_id, kind, -quantity, 0, actor=actor, reference=reference, reason=reason).save()


@transaction.atomic
def stock_adjust(*, actor: Any, stock: Stock, delta: int, reason: str) -> Stock:
    """A count correction (breakage, loss, a recount). The reason is required."""
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0 or abs(delta) > MAX_QUANTITY:
        raise DomainError(
            _("The change must be a non-zero whole number."), fields={"delta": _("A non-zero whole number.")}
        )
    if not reason.strip():
        raise DomainError(_("Say why the stock is adjusted."), fields={"reason": _("Required.")})
    if delta > 0:
        Stock.objects.filter(pk=stock.pk).update(on_hand=F("on_hand") + delta)
        ledger_row(stock.pk, MovementKind.ADJUSTED, delta, 0, actor=actor, reason=reason).save()
    else:
        _take_exact(stock.pk, -delta, MovementKind.ADJUSTED, actor=actor, reference="", reason=reason)
    stock.refresh_from_db()
    return stock


@transaction.atomic
def stock_transfer(*, actor: Any, stock: Stock, to_center: Center, quantity: int, reason: str = "") -> Stock:
    """Move goods of one lot to another center, which needs its own agreement with the producer."""
    check_quantity(quantity)
    if to_center.pk == stock.center_id:
        raise DomainError(
            _("A transfer needs another center."), fields={"to_center": _("The same center as the goods.")}
        )
    require_agreement(stock.producer_id, to_center.pk)
    reference = f"transfer:{stock.center_id}>{to_center.pk}"
    _take_exact(
        stock.pk, quantity, MovementKind.TRANSFER_OUT, actor=actor, reference=reference, reason=reason
    )
    target = stock_row(to_center, Lot.objects.select_related("product").get(pk=stock.lot_id))
    Stock.objects.filter(pk=target.pk).update(on_hand=F("on_hand") + quantity)
    ledger_row(
        target.pk, MovementKind.TRANSFER_IN, quantity, 0, actor=actor, reference=reference, reason=reason
    ).save()
    target.refresh_from_db()
    return target


@transaction.atomic
def stock_return_to_producer(*, actor: Any, stock: Stock, quantity: int, reason: str = "") -> Stock:
    check_quantity(quantity)
    _take_exact(stock.pk, quantity, MovementKind.RETURNED, actor=actor, reference="", reason=reason)
    stock.refresh_from_db()
    return stock
