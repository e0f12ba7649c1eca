from typing import Any

from django.http import HttpRequest

from ocophub.accounts import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"can_view_plan": bool(user) and permissions.can_view_city_overview(user)}
