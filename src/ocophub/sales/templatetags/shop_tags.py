"""Template helpers of the online shop: the buy panel on the catalogue's product page, e-mail links."""

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.dates import WEEKDAYS

from ocophub.inventory.selectors import available_of

from .. import vietqr
from ..models import OrderStatus
from ..services.orders import hold_minutes as _hold_minutes

register = template.Library()


@register.simple_tag
def availability(product: Any, centers: list[Any]) -> list[tuple[Any, int]]:
    """Each center carrying the product with the quantity that can be bought there now.

    The catalogue's product page includes the shop's buy panel without knowing about stock, so the panel
    asks here, in one query whatever the number of centers.
    """
    if not centers:
        return []
    free = available_of(product.pk, [center.pk for center in centers])
    return [(center, free.get(center.pk, 0)) for center in centers]


@register.simple_tag
def order_link(order: Any) -> str:
    """The order page's address for e-mails: absolute when the site's address (SITE_URL) is configured."""
    path = reverse("shop:order", args=[order.token])
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


@register.filter
def transfer_message(number: str) -> str:
    """The transfer message a bank accepts for an order number (what the VietQR code carries)."""
    return vietqr.fold_message(number)


@register.filter
def status_label(value: str) -> str:
    """The translated name of an order status stored as text (event rows keep the raw value)."""
    return str(OrderStatus(value).label) if value in OrderStatus.values else value


@register.simple_tag
def hold_minutes() -> int:
    """How long checkout holds the goods, in minutes."""
    return _hold_minutes()


@register.filter
def weekday_name(weekday: int) -> str:
    """Monday is 0, as in the centers' opening hours."""
    return str(WEEKDAYS.get(weekday, ""))
