from typing import Any

from django.http import HttpRequest

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.centers.models import Center
from ocophub.sales import selectors as sales
from ocophub.tours import selectors as tours

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


def _design_desks(user: Any, order_desks: list[sales.OrderDesk]) -> list[tuple[int, str, str]]:
    """(id, slug, name) of the centers whose design requests the user works on, as their manager or
    designer: the order desks already read give most of them; one query reads the others."""
    ids = permissions.scope_ids(user, Role.CENTER_MANAGER, Role.DESIGNER)
    if not ids:
        return []
    known = {
        desk.center_id: (desk.center_id, desk.slug, desk.name)
        for desk in order_desks
        if desk.center_id in ids
    }
    missing = ids - set(known)
    if missing:
        rows = Center.objects.filter(pk__in=missing).values_list("pk", "slug", "name")
        known.update({pk: (pk, slug, name) for pk, slug, name in rows})
    return sorted(known.values(), key=lambda desk: (desk[2], desk[0]))


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
    desks = sales.order_desks(user) if sells else []
    design_desks = _design_desks(user, desks)
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
        "can_read_audit": permissions.is_city_admin(user),
        # the order desks with their counts of new orders, and the centers whose staff the user manages
        "order_desks": desks,
        "managed_center_ids": permissions.scope_ids(user, Role.CENTER_MANAGER),
        # the centers whose design requests the user handles (manager) or is given (designer)
        "design_desks": design_desks,
        "can_use_workspace": producer,
        # the tour operators the user is a member of; the tourism department sees every operator
        "tour_desks": tours.operator_desks(permissions.scope_ids(user, Role.OPERATOR_MEMBER)),
        "can_manage_operators": permissions.can_manage_operators(user),
        "shows_shop": not (
            user.is_superuser or any(permissions.has_role(user, role) for role in STAFF_ROLES)
        ),
        **basket,
    }
