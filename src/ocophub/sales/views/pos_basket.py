"""The till's basket and the reads of the counter screens.

The basket lives in the session, one per center, until it is paid. It gets a client id (uuid4) when its
first item goes in; the payment form sends that id, so that a payment submitted twice (a double tap, a
browser retry after a lost answer) finds the sale booked the first time instead of booking another.
"""

import uuid
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ocophub.catalogue.models import Product, ProductStatus
from ocophub.centers.models import Center
from ocophub.common.text import fold, search_terms
from ocophub.inventory import selectors as stock

SESSION_KEY = "pos_baskets"
MAX_LINE_QUANTITY = 9999
SEARCH_LIMIT = 12


@dataclass
class Basket:
    """Product id → quantity in the order the goods went in; `last` is the product touched last."""

    client_uuid: uuid.UUID | None = None
    quantities: dict[int, int] = field(default_factory=dict)
    last: int | None = None

    @property
    def reference(self) -> str:
        """The transfer message that ties a bank transfer to this basket (letters and digits only)."""
        return f"OCOP {self.client_uuid.hex[:10].upper()}" if self.client_uuid else ""

    def add(self, product_id: int, quantity: int = 1) -> None:
        if self.client_uuid is None:
            self.client_uuid = uuid.uuid4()
        current = self.quantities.pop(product_id, 0)
        # a product scanned again moves to the bottom, next to the cashier's eye
        self.quantities[product_id] = min(current + quantity, MAX_LINE_QUANTITY)
        self.last = product_id

    def decrease(self, product_id: int) -> None:
        """One unit less; the line goes when it reaches zero."""
        if product_id not in self.quantities:
            return
        self.quantities[product_id] -= 1
        if self.quantities[product_id] <= 0:
            self.remove(product_id)
        else:
            self.last = product_id

    def increase(self, product_id: int) -> None:
        if product_id in self.quantities:
            self.quantities[product_id] = min(self.quantities[product_id] + 1, MAX_LINE_QUANTITY)
            self.last = product_id

    def remove(self, product_id: int) -> None:
        self.quantities.pop(product_id, None)
        if self.last == product_id:
            self.last = None


def basket_load(request: HttpRequest, center: Center) -> Basket:
    data = request.session.get(SESSION_KEY, {}).get(str(center.pk))
    if not data:
        return Basket()
    try:
        client_uuid = uuid.UUID(data["uuid"]) if data.get("uuid") else None
        quantities = {int(pk): int(n) for pk, n in data.get("lines", []) if int(n) > 0}
    except (KeyError, TypeError, ValueError):
        return Basket()
    return Basket(client_uuid=client_uuid, quantities=quantities, last=data.get("last"))


def basket_save(request: HttpRequest, center: Center, basket: Basket) -> None:
    baskets = dict(request.session.get(SESSION_KEY, {}))
    if basket.quantities:
        baskets[str(center.pk)] = {
            "uuid": str(basket.client_uuid) if basket.client_uuid else None,
            "lines": [[pk, n] for pk, n in basket.quantities.items()],
            "last": basket.last,
        }
    else:
        # an emptied basket starts again with a new id
        baskets.pop(str(center.pk), None)
    request.session[SESSION_KEY] = baskets


def basket_clear(request: HttpRequest, center: Center) -> None:
    basket_save(request, center, Basket())


@dataclass
class Row:
    product: Product
    quantity: int
    available: int
    agreed: bool

    @property
    def unit_price(self) -> int:
        return self.product.list_price or 0

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    @property
    def warning(self) -> str:
        """Why this line would not sell, or '' when it can."""
        if self.product.status != ProductStatus.PUBLISHED or self.product.list_price is None:
            return _("No longer on sale.")
        if not self.agreed:
            return _("The producer has no active agreement with this center.")
        if self.available <= 0:
            return _("Sold out here.")
        if self.quantity > self.available:
            return _("Only %(n)s left here.") % {"n": self.available}
        return ""


def basket_rows(center: Center, basket: Basket) -> list[Row]:
    """The basket's lines with prices, stock and agreements (three queries whatever the size)."""
    if not basket.quantities:
        return []
    ids = list(basket.quantities)
    products = Product.objects.filter(pk__in=ids).select_related("producer").in_bulk()
    available = stock.available_at(center.pk, ids)
    agreed = set(stock.active_agreements_of(center).values_list("producer_id", flat=True))
    return [
        Row(
            product=products[pk],
            quantity=n,
            available=available.get(pk, 0),
            agreed=products[pk].producer_id in agreed,
        )
        for pk, n in basket.quantities.items()
        if pk in products
    ]


def product_by_code(code: str) -> Product | None:
    """The published product with this barcode; a UPC-A read without its leading zero still matches."""
    code = "".join(code.split())
    if not code or len(code) > 14:
        return None
    candidates = {code, code.lstrip("0")} | {code.zfill(n) for n in (12, 13, 14) if len(code) < n}
    return (
        Product.objects.filter(gtin__in=[c for c in candidates if c], status=ProductStatus.PUBLISHED)
        .select_related("producer")
        .first()
    )


def published_product(product_id: int) -> Product | None:
    return Product.objects.filter(pk=product_id, status=ProductStatus.PUBLISHED).first()


def search(center: Center, query: str) -> list[tuple[Product, int]]:
    """Published products on sale here: an active agreement and sellable stock at the center.

    Matching ignores diacritics (every word of the query in the folded name), and a query of digits also
    matches the barcode. Without a query the first products by name are offered.
    """
    qs = Product.objects.filter(
        status=ProductStatus.PUBLISHED,
        list_price__isnull=False,
        producer_id__in=stock.active_agreements_of(center).values("producer_id"),
    )
    terms = search_terms(query)
    if terms:
        by_name = Q()
        for term in terms:
            by_name &= Q(folded_name__contains=term)
        digits = "".join(fold(query).split())
        qs = qs.filter(by_name | Q(gtin=digits)) if digits.isdigit() else qs.filter(by_name)
    products = list(
        stock.in_stock(qs, center.slug)
        .select_related("producer")
        .order_by("folded_name", "pk")[:SEARCH_LIMIT]
    )
    available = stock.available_at(center.pk, [p.pk for p in products])
    return [(p, available.get(p.pk, 0)) for p in products]
