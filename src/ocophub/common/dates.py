"""Dates are shown dd/mm/yyyy in Vietnamese and in the city's time zone."""

import datetime as dt

from django.utils import timezone


def local_today() -> dt.date:
    return timezone.localdate()


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
