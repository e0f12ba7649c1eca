"""The center's part of a request's page: the forms its managers and designers may use now."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("design/_center_forms.html", takes_context=True)
def center_actions(context: template.Context) -> dict[str, Any]:
    from ocophub.accounts import permissions

    from ..views_center import center_actions as actions

    design_request = context["design_request"]
    request = context["request"]
    bound = context.get("center_bound") or {}
    return {
        "design_request": design_request,
        "actions": actions(request.user, design_request, bound),
        "shows_list": permissions.can_view_studio_board(request.user, design_request.center),
        "problem": context.get("center_problem"),
        "problem_key": context.get("center_problem_key"),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
