"""Reads of sales shared by pages, the API and the reports. Lists run a fixed number of queries."""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ocophub.accounts import permissions
from ocophub.accounts.models import Role

from .models import Order, Sale, Settlement, Shift


def local_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the city's time zone."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return since, until


def selling_center_ids(user: Any) -> set[int]:
    """Centers where the user sells: staff and managers."""
    return permissions.scope_ids(user, Role.CENTER_MANAGER, Role.CENTER_STAFF)


def visible_sales(user: Any) -> QuerySet[Sale]:
    """The city sees every sale; center people their centers'; producers sales holding their goods."""
    if permissions.can_view_city_overview(user):
        qs = Sale.objects.all()
    else:
        producers = permissions.scope_ids(user, Role.PRODUCER_MEMBER)
        qs = Sale.objects.filter(
            Q(center_id__in=selling_center_ids(user)) | Q(pk__in=_sales_of_producers(producers))
        )
    return qs.select_related("center", "seller")


def _sales_of_producers(producer_ids: set[int]) -> Any:
    from .models import SaleLine

    return SaleLine.objects.filter(producer_id__in=producer_ids).values("sale_id")


def visible_orders(user: Any) -> QuerySet[Order]:
    """Customers see their own orders; center people their centers' orders; the city all."""
    if permissions.can_view_city_overview(user):
        qs = Order.objects.all()
    elif permissions.is_authenticated(user):
        qs = Order.objects.filter(Q(customer=user) | Q(center_id__in=selling_center_ids(user)))
    else:
        qs = Order.objects.none()
    return qs.select_related("center")


def visible_shifts(user: Any) -> QuerySet[Shift]:
    """The city sees every shift, managers their centers' shifts, cashiers their own."""
    if permissions.can_view_city_overview(user):
        return Shift.objects.all()
    managed = permissions.scope_ids(user, Role.CENTER_MANAGER)
    return Shift.objects.filter(
        Q(center_id__in=managed) | Q(center_id__in=selling_center_ids(user), opened_by_id=user.pk)
    )


def visible_settlements(user: Any) -> QuerySet[Settlement]:
    if permissions.can_view_city_overview(user):
        qs = Settlement.objects.all()
    else:
        qs = Settlement.objects.filter(
            Q(center_id__in=permissions.scope_ids(user, Role.CENTER_MANAGER))
            | Q(producer_id__in=permissions.scope_ids(user, Role.PRODUCER_MEMBER))
        )
    return qs.select_related("producer", "center")
