"""Template tags of a design request's page: the producer's moves, the thread's form, the history's
labels and the overdue flag."""

from typing import Any

from django import template

from .. import panels_producer

register = template.Library()


@register.simple_tag(takes_context=True)
def producer_panel(context: Any) -> dict[str, Any]:
    return panels_producer.producer_panel(context)


@register.simple_tag(takes_context=True)
def thread_panel(context: Any) -> dict[str, Any]:
    return panels_producer.thread_panel(context)


@register.filter
def design_event_label(event: Any) -> str:
    return panels_producer.event_label(event)


@register.filter
def design_state_label(value: str) -> str:
    return panels_producer.state_label(value)


@register.filter
def design_overdue(design_request: Any) -> bool:
    return panels_producer.is_overdue(design_request)


@register.filter
def design_rest_percent(percent: int) -> int:
    """The producer's share when the subsidy pays `percent` %."""
    return 100 - int(percent or 0)
