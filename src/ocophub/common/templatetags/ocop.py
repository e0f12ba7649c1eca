"""Template filters: money in đồng, dates dd/mm/yyyy."""

import datetime as dt

from django import template

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
