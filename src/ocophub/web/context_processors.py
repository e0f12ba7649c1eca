from typing import Any

from django.http import HttpRequest

from ocophub.accounts import permissions
from ocophub.accounts.models import Role

BASKET_SESSION_KEY = "shop_basket"
# People who work for the programme (cashiers, center managers, officers, the departments): the menu
# shows them their work, not a customer's basket and orders.
STAFF_ROLES = (Role.CITY_ADMIN, Role.TOURISM, Role.UNIT_OFFICER, Role.CENTER_MANAGER, Role.CENTER_STAFF)


def _basket_count(request: HttpRequest) -> int:
    """Units in the shop basket (kept in the session by the shop: {center id: {product id: qty}})."""
    session = getattr(request, "session", None)
    basket = session.get(BASKET_SESSION_KEY) if session is not None else None
    if not isinstance(basket, dict):
        return 0
    return sum(
        q
        for lines in basket.values()
        if isinstance(lines, dict)
        for q in lines.values()
        if isinstance(q, int)
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    basket = {"basket_count": _basket_count(request)}
    if not user or not user.is_authenticated:
        return {
            "can_view_plan": False,
            "can_import": False,
            "can_see_expiring": False,
            "shows_shop": True,
            **basket,
        }
    sells = bool(permissions.scope_ids(user, Role.CENTER_MANAGER, Role.CENTER_STAFF))
    producer = bool(permissions.scope_ids(user, Role.PRODUCER_MEMBER))
    city = permissions.can_view_city_overview(user)
    return {
        "can_view_plan": city,
        "can_import": permissions.can_import_products(user),
        "can_see_expiring": permissions.can_import_products(user) or producer,
        "can_sell": sells,
        "can_see_stock": sells or producer or city,
        "can_see_settlements": city or producer or bool(permissions.scope_ids(user, Role.CENTER_MANAGER)),
        "can_see_sales_reports": permissions.can_view_sales_reports(user),
        "shows_shop": not (
            user.is_superuser or any(permissions.has_role(user, role) for role in STAFF_ROLES)
        ),
        **basket,
    }
