"""Receiving goods from a producer: lots, and the stock row of a lot at a center."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ocophub.catalogue import selectors as catalogue_selectors
from ocophub.catalogue.models import Product
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError

from ..models import Lot, MovementKind, Stock
from .agreements import require_agreement
from .ledger import check_quantity, ledger_row


def _lot(product: Product, code: str, produced_on: dt.date | None, expires_on: dt.date | None) -> Lot:
    code = code.strip()[:40]
    if expires_on and produced_on and expires_on <= produced_on:
        raise DomainError(
            _("A lot must expire after the day it was produced."),
            fields={"expires_on": _("Not after the production date.")},
        )
    lot, created = Lot.objects.get_or_create(
        product=product, code=code, defaults={"produced_on": produced_on, "expires_on": expires_on}
    )
    if not created and (
        (expires_on and lot.expires_on != expires_on) or (produced_on and lot.produced_on != produced_on)
    ):
        raise DomainError(
            _("Lot “%(code)s” of this product was received with other dates.") % {"code": code},
            fields={"lot_code": _("Same code, other dates: use a new lot code.")},
        )
    return lot


def stock_row(center: Center, lot: Lot) -> Stock:
    stock, _created = Stock.objects.get_or_create(
        center=center,
        lot=lot,
        defaults={"product_id": lot.product_id, "producer_id": lot.product.producer_id},
    )
    return stock


@transaction.atomic
def stock_receive(
    *,
    actor: Any,
    center: Center,
    product: Product,
    quantity: int,
    lot_code: str = "",
    produced_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    reason: str = "",
) -> Stock:
    """Goods arrive from the producer, under an active agreement; a lot past its expiry is refused, and
    perishable goods (food, drinks, medicinal herbs: their group's mark) need their expiry date, so
    that earliest-expiry-first selling can protect them."""
    check_quantity(quantity)
    if product.status != "published":
        raise DomainError(
            _("Only published products are received for sale."),
            fields={"product": _("Not a published product.")},
        )
    require_agreement(product.producer_id, center.pk)
    if expires_on is None and catalogue_selectors.is_perishable(product):
        raise DomainError(
            _("“%(name)s” is perishable: enter the expiry date printed on the lot.") % {"name": product.name},
            fields={"expires_on": _("Required for food, drinks and medicinal herbs.")},
            code="expiry_required",
        )
    if expires_on is not None and expires_on < local_today():
        raise DomainError(
            _("This lot has already expired."), fields={"expires_on": _("In the past.")}, code="expired"
        )
    stock = stock_row(center, _lot(product, lot_code, produced_on, expires_on))
    Stock.objects.filter(pk=stock.pk).update(on_hand=F("on_hand") + quantity)
    ledger_row(stock.pk, MovementKind.RECEIVED, quantity, 0, actor=actor, reason=reason).save()
    stock.refresh_from_db()
    return stock
