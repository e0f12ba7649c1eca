from typing import Any

from django.http import HttpRequest

from ocophub.accounts import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"can_view_plan": False, "can_import": False, "can_see_expiring": False}
    return {
        "can_view_plan": permissions.can_view_city_overview(user),
        "can_import": permissions.can_import_products(user),
        "can_see_expiring": permissions.can_import_products(user)
        or bool(permissions.scope_ids(user, "producer_member")),
    }
