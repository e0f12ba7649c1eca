"""Reads of sales shared by pages, the API and the reports. Lists run a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.centers.models import Center

from .models import (
    DESK_NEW_STATUSES,
    Order,
    Payment,
    PaymentMethod,
    PaymentState,
    Refund,
    Sale,
    SavedBasket,
    Settlement,
    Shift,
)


def local_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the city's time zone."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return since, until


def selling_center_ids(user: Any) -> set[int]:
    """Centers where the user sells: staff and managers."""
    return permissions.scope_ids(user, Role.CENTER_MANAGER, Role.CENTER_STAFF)


def new_order_count(center_id: int) -> int:
    """Online orders of one center waiting for it (DESK_NEW_STATUSES): one COUNT on an index."""
    return Order.objects.filter(center_id=center_id, status__in=DESK_NEW_STATUSES).count()


@dataclass
class OrderDesk:
    center_id: int
    slug: str
    name: str
    new_orders: int


def order_desks(user: Any) -> list[OrderDesk]:
    """The order desks of the centers where the user sells, each with its count of new orders
    (one query, whatever the number of centers and orders)."""
    ids = selling_center_ids(user)
    if not ids:
        return []
    rows = (
        Center.objects.filter(pk__in=ids)
        .annotate(new_orders=Count("orders", filter=Q(orders__status__in=DESK_NEW_STATUSES)))
        .order_by("name")
        .values_list("pk", "slug", "name", "new_orders")
    )
    return [OrderDesk(pk, slug, name, int(n)) for pk, slug, name, n in rows]


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


@dataclass
class ShiftSummary:
    """What a shift took and paid back, and the cash its drawer should hold.

    Refunds for goods returned and refunds without goods are apart: money paid back with nothing coming
    back is what a manager checks when the drawer is counted."""

    shift: Shift
    sales: int
    sales_total: int
    cash_sales: int
    cash_return_refunds: int  # cash paid back from the drawer for goods returned
    cash_refunds_without_goods: int  # cash paid back from the drawer with no goods coming back
    return_refunds: int  # refunds for the shift's returns, every method
    refunds_without_goods: int  # refunds without goods made in the shift, every method
    without_goods: list[Refund]
    expected: int
    by_method: list[dict[str, Any]]

    @property
    def variance(self) -> int | None:
        return self.shift.variance


def shift_summary(shift: Shift) -> ShiftSummary:
    """The float, plus cash taken, less cash refunded: for returns and without goods, each on its own
    line (a fixed number of queries whatever the shift holds)."""
    sales = Sale.objects.filter(shift=shift).aggregate(n=Count("pk"), total=Sum("total"))
    rows = (
        Payment.objects.filter(sale__shift=shift, state=PaymentState.SUCCEEDED)
        .values("method")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    )
    totals: dict[str, Any] = {row["method"]: row for row in rows}
    by_method = [
        {
            "method": method,
            "label": label,
            "count": totals.get(method, {}).get("n", 0),
            "amount": int(totals.get(method, {}).get("amount") or 0),
        }
        for method, label in PaymentMethod.choices
    ]
    succeeded = Refund.objects.filter(state=PaymentState.SUCCEEDED)
    cash = Q(payment__method=PaymentMethod.CASH)
    drawer = succeeded.filter(shift=shift).aggregate(
        returns=Sum("amount", filter=cash & Q(ret__isnull=False)),
        without_goods=Sum("amount", filter=cash & Q(ret__isnull=True)),
    )
    return_refunds = succeeded.filter(ret__shift=shift).aggregate(n=Sum("amount"))["n"]
    without_goods = list(
        succeeded.filter(shift=shift, ret__isnull=True)
        .select_related("payment__sale", "actor", "approved_by")
        .order_by("created_at", "pk")
    )
    cash_sales = int(totals.get(PaymentMethod.CASH, {}).get("amount") or 0)
    cash_returns, cash_without = int(drawer["returns"] or 0), int(drawer["without_goods"] or 0)
    return ShiftSummary(
        shift=shift,
        sales=sales["n"] or 0,
        sales_total=int(sales["total"] or 0),
        cash_sales=cash_sales,
        cash_return_refunds=cash_returns,
        cash_refunds_without_goods=cash_without,
        return_refunds=int(return_refunds or 0),
        refunds_without_goods=sum(refund.amount for refund in without_goods),
        without_goods=without_goods,
        expected=(
            shift.expected_cash
            if shift.expected_cash is not None
            else shift.opening_float + cash_sales - cash_returns - cash_without
        ),
        by_method=by_method,
    )


def saved_basket_read(user: Any) -> dict[str, dict[str, int]]:
    """The shop basket a logged-in customer kept ({center id: {product id: quantity}}), or an empty one."""
    if not getattr(user, "is_authenticated", False):
        return {}
    lines = SavedBasket.objects.filter(user=user).values_list("lines", flat=True).first()
    return lines if isinstance(lines, dict) else {}
