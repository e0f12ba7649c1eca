from typing import Any

from django.http import HttpRequest

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.sales import selectors as sales

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
    officer = bool(permissions.officer_unit_ids(user))
    return {
        # a unit officer's plan page is the progress of their own unit
        "can_view_plan": city or officer,
        "can_work_on_centers": officer or permissions.is_city_admin(user),
        "can_import": permissions.can_import_products(user),
        "can_see_expiring": permissions.can_import_products(user) or producer,
        "can_review_products": permissions.can_see_review_queue(user),
        "can_sell": sells,
        "can_see_stock": sells or producer or city,
        "can_see_settlements": city or producer or bool(permissions.scope_ids(user, Role.CENTER_MANAGER)),
        "can_see_sales_reports": permissions.can_view_sales_reports(user),
        # from the grants already read: no query of its own
        "can_view_studio_board": permissions.can_view_studio_board(user),
        # the order desks with their counts of new orders, and the centers whose staff the user manages
        "order_desks": sales.order_desks(user) if sells else [],
        "managed_center_ids": permissions.scope_ids(user, Role.CENTER_MANAGER),
        "can_use_workspace": producer,
        "shows_shop": not (
            user.is_superuser or any(permissions.has_role(user, role) for role in STAFF_ROLES)
        ),
        **basket,
    }
