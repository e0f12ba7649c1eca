"""What every sale and order starts from: its lines merged and checked, the products' prices, amounts in
whole đồng, and the numbers the documents carry. Used by the counter, the shop and refunds alike."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ocophub.catalogue.models import Product
from ocophub.common.errors import DomainError
from ocophub.inventory import services as inventory
from ocophub.inventory.models import Stock

MAX_AMOUNT = 10**12
MAX_LINES = 100


@dataclass(frozen=True)
class LineIn:
    product_id: int
    quantity: int


def check_amount(value: Any, field: str, *, allow_zero: bool = True) -> int:
    low = 0 if allow_zero else 1
    if isinstance(value, bool) or not isinstance(value, int) or value < low or value > MAX_AMOUNT:
        raise DomainError(
            _("Amounts are whole đồng from %(low)s up.") % {"low": low},
            fields={field: _("A whole number of đồng, not below %(low)s.") % {"low": low}},
        )
    return value


def merge_lines(lines: list[LineIn]) -> dict[int, int]:
    """Quantities per product; several lines of one product add up. Refuses empty and bad quantities."""
    if not lines:
        raise DomainError(_("Add at least one product."), fields={"lines": _("Empty.")})
    if len(lines) > MAX_LINES:
        raise DomainError(_("Too many lines."), fields={"lines": _("At most %(n)s.") % {"n": MAX_LINES}})
    merged: dict[int, int] = defaultdict(int)
    for index, line in enumerate(lines):
        inventory.check_quantity(line.quantity, field=f"lines.{index}.quantity")
        merged[line.product_id] += line.quantity
    return dict(merged)


def priced_products(product_ids: list[int]) -> dict[int, Product]:
    products = {p.pk: p for p in Product.objects.filter(pk__in=product_ids, status="published")}
    for pk in product_ids:
        product = products.get(pk)
        if product is None:
            raise DomainError(
                _("Unknown product."), fields={"lines": _("Product %(id)s is not on sale.") % {"id": pk}}
            )
        if product.list_price is None:
            raise DomainError(
                _("“%(name)s” has no price.") % {"name": product.name},
                fields={"lines": _("No list price.")},
                code="no_price",
            )
    return products


@dataclass(frozen=True)
class Shelf:
    """What a sale or an order of `merged` needs at one center: products with their prices, the rate of
    each producer's agreement, and the sellable lots earliest expiry first."""

    products: dict[int, Product]
    rates: dict[int, Decimal]
    lots: dict[int, list[Stock]]


def shelve(center_id: int, merged: dict[int, int]) -> Shelf:
    """Prices, agreement rates and lots of every product in one query.

    When a product is missing from it, or has no price or no agreement, the checks of the slow path run
    in the usual order so that the refusal is the one it always was (unknown product, no price, no
    agreement); a product that passes them all simply has nothing on the shelf, which the taking of the
    stock reports as sold out."""
    lots = inventory.sellable_lots(center_id, list(merged))
    products = {pk: rows[0].product for pk, rows in lots.items()}
    rates = {pk: rows[0].commission_rate for pk, rows in lots.items()}  # type: ignore[attr-defined]
    complete = (
        len(lots) == len(merged)
        and all(product.list_price is not None for product in products.values())
        and all(rate is not None for rate in rates.values())
    )
    if not complete:
        products = priced_products(list(merged))
        rates = {
            pk: inventory.require_agreement(product.producer_id, center_id).commission_rate
            for pk, product in products.items()
        }
    return Shelf(products=products, rates=rates, lots=lots)


def document_number(prefix: str, pk: int) -> str:
    """A sale's or an order's number: its prefix and its row id, zero-padded (HD-0000042)."""
    return f"{prefix}-{pk:07d}"
