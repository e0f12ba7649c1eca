"""The basket: its lines grouped by center with today's prices and stock, and its page."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocophub.catalogue.models import Product, ProductStatus
from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common.errors import DomainError
from ocophub.common.forms import parse_id
from ocophub.inventory.selectors import available_at

from ...forms_shop import Basket, parse_quantity


@dataclass
class BasketLine:
    product: Product
    quantity: int
    available: int

    @property
    def amount(self) -> int:
        return self.quantity * (self.product.list_price or 0)

    @property
    def over(self) -> bool:
        return self.quantity > self.available


@dataclass
class BasketGroup:
    """The part of the basket bought from one center."""

    center: Center
    lines: list[BasketLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def over(self) -> bool:
        return any(line.over for line in self.lines)


def basket_groups(basket: Basket, center_ids: list[int] | None = None) -> list[BasketGroup]:
    """The basket grouped by center, with today's prices and availability.

    Lines of products no longer on sale and of centers no longer selling are dropped from the basket.
    """
    wanted = basket.center_ids() if center_ids is None else center_ids
    centers = {
        c.pk: c
        for c in Center.objects.filter(pk__in=wanted, status__in=PUBLIC_STATUSES).prefetch_related("hours")
    }
    product_ids = {p for c in wanted for p in basket.items(c)}
    products = {
        p.pk: p
        for p in Product.objects.filter(
            pk__in=product_ids, status=ProductStatus.PUBLISHED, list_price__isnull=False
        ).select_related("producer")
    }
    groups = []
    for center_id in wanted:
        items = basket.items(center_id)
        center = centers.get(center_id)
        gone = {p for p in items if center is None or p not in products}
        if gone:
            basket.forget(center_id, gone)
        if center is None or len(gone) == len(items):
            continue
        available = available_at(center_id, [p for p in items if p not in gone])
        group = BasketGroup(center)
        for product_id, quantity in items.items():
            if product_id not in gone:
                group.lines.append(BasketLine(products[product_id], quantity, available.get(product_id, 0)))
        group.lines.sort(key=lambda line: line.product.name)
        groups.append(group)
    return sorted(groups, key=lambda g: g.center.name)


def public_center(slug: str) -> Center:
    center = Center.objects.filter(slug=slug, status__in=PUBLIC_STATUSES).first()
    if center is None:
        raise Http404
    return center


def _render_basket(request: HttpRequest, basket: Basket, status: int = 200) -> HttpResponse:
    return render(
        request, "sales/shop/basket.html", {"groups": basket_groups(basket), "basket": basket}, status=status
    )


@require_POST
def add(request: HttpRequest) -> HttpResponse:
    """Put a product into the basket of one center. Bad input shows the basket with the reason (400)."""
    basket = Basket(request.session, request.user)
    center = Center.objects.filter(slug=request.POST.get("center", ""), status__in=PUBLIC_STATUSES).first()
    product_id = parse_id(request.POST.get("product"))
    product = (
        Product.objects.filter(pk=product_id, status=ProductStatus.PUBLISHED).first()
        if product_id is not None
        else None
    )
    try:
        if center is None or product is None:
            raise DomainError(_("This product is not sold at this center."))
        if product.list_price is None:
            raise DomainError(_("“%(name)s” has no price yet: ask the center.") % {"name": product.name})
        quantity = parse_quantity(request.POST.get("quantity", "1"))
        basket.add(center.pk, product.pk, quantity)
    except DomainError as error:
        messages.error(request, error.message)
        return _render_basket(request, basket, status=error.status)
    messages.success(
        request,
        _("Added %(quantity)s × %(name)s to your basket at %(center)s.")
        % {"quantity": quantity, "name": product.name, "center": center.name},
    )
    return redirect("shop:basket")


@require_http_methods(["GET", "POST"])
def basket_page(request: HttpRequest) -> HttpResponse:
    """The basket; a POST changes the quantities of one center's lines or removes one line."""
    basket = Basket(request.session, request.user)
    if request.method == "POST":
        center_id = request.POST.get("center", "")
        if parse_id(center_id) is None or int(center_id) not in basket.center_ids():
            messages.error(request, _("That part of the basket is already empty."))
            return _render_basket(request, basket, status=400)
        items = basket.items(int(center_id))
        remove = request.POST.get("remove", "")
        try:
            if remove:
                basket.put(int(center_id), parse_id(remove) or 0, 0)
                messages.success(request, _("Removed from your basket."))
            else:
                wanted = {
                    product_id: parse_quantity(request.POST.get(f"qty-{product_id}", q), allow_zero=True)
                    for product_id, q in items.items()
                }
                for product_id, quantity in wanted.items():
                    basket.put(int(center_id), product_id, quantity)
                messages.success(request, _("Basket updated."))
        except DomainError as error:
            messages.error(request, error.message)
            return _render_basket(request, basket, status=error.status)
        return redirect("shop:basket")
    return _render_basket(request, basket)
