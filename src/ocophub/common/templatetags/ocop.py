"""Template filters: money in đồng, dates dd/mm/yyyy, texts in the page's language."""

import datetime as dt

from django import template
from django.utils import translation

from ocophub.common.dates import format_date, format_datetime
from ocophub.common.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    return format_vnd(amount)


@register.filter
def ddmmyyyy(value: dt.date | dt.datetime | None) -> str:
    return format_date(value)


@register.filter
def ddmmyyyy_hhmm(value: dt.datetime | None) -> str:
    return format_datetime(value)


@register.filter
def tr(obj: object, field: str) -> object:
    """A text in the page's language: `{{ product|tr:"name" }}` is `name_en` on the English site when it is
    filled, and the Vietnamese `name` otherwise (Vietnamese is the fallback)."""
    if obj is None or obj == "":
        return ""
    if (translation.get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")
