"""Reads of sales shared by pages, the API and the reports. Lists run a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
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


@dataclass
class ProductSales:
    """One product's sales (or returns) at one commission rate since the last settlement."""

    product_id: int
    name: str
    rate: Any
    quantity: int = 0
    amount: int = 0
    returned: int = 0
    returns: int = 0

    @property
    def percent(self) -> Any:
        """The rate as a percentage without trailing zeros (0.1750 → 17.5), as the statements show it."""
        value = self.rate * 100
        return value.quantize(1) if value == value.to_integral_value() else value.normalize()


@dataclass
class CenterSalesToDate:
    """What a center sold of a producer's goods since the producer's last settlement there."""

    center: Any
    agreement_rate: Any
    since: dt.date | None  # the day after the last settlement's period; None: never settled
    lines: list[ProductSales]
    units_sold: int = 0
    units_returned: int = 0
    gross: int = 0
    returns: int = 0
    commission: int = 0
    agreement_percent: Any = None  # the agreement's rate as a percentage, for display

    @property
    def net(self) -> int:
        return self.gross - self.returns - self.commission


def producer_sales_to_date(producer: Any) -> list[CenterSalesToDate]:
    """For each center where the producer consigns, its unsettled sales and returns since the day after
    the last (not cancelled) settlement there, summed by product and commission rate, with the
    commission computed as a statement would (round half up per rate). Four queries whatever the
    number of centers, products and lines."""
    from ocophub.common.money import round_vnd
    from ocophub.inventory.models import Agreement

    from .models import ReturnLine, SaleLine, SettlementState

    agreements = list(
        Agreement.objects.filter(producer=producer)
        .exclude(state="draft")
        .select_related("center")
        .order_by("center__name", "center_id", "-starts_on", "-pk")
    )
    last_ends = dict(
        Settlement.objects.filter(producer=producer)
        .exclude(state=SettlementState.CANCELLED)
        .values("center_id")
        .annotate(end=Max("period_end"))
        .values_list("center_id", "end")
    )
    centers: dict[int, CenterSalesToDate] = {}
    sale_scope, return_scope = Q(pk__in=[]), Q(pk__in=[])
    for agreement in agreements:
        if agreement.center_id in centers:
            continue  # the newest agreement of a center gives its current rate
        end = last_ends.get(agreement.center_id)
        since = end + dt.timedelta(days=1) if end else None
        centers[agreement.center_id] = CenterSalesToDate(
            center=agreement.center, agreement_rate=agreement.commission_rate, since=since, lines=[]
        )
        sale_here = Q(sale__center_id=agreement.center_id)
        return_here = Q(sale_line__sale__center_id=agreement.center_id)
        if since:
            start = local_range(since, since)[0]
            sale_here &= Q(sale__created_at__gte=start)
            return_here &= Q(ret__created_at__gte=start)
        sale_scope |= sale_here
        return_scope |= return_here
    rows: dict[tuple[int, int, Any], ProductSales] = {}
    sold = (
        SaleLine.objects.filter(sale_scope, producer=producer, settlement__isnull=True)
        .values("sale__center_id", "product_id", "product__name", "commission_rate")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by()
    )
    for row in sold:
        key = (row["sale__center_id"], row["product_id"], row["commission_rate"])
        rows[key] = ProductSales(
            row["product_id"], row["product__name"], row["commission_rate"], row["quantity"], row["amount"]
        )
    returned = (
        ReturnLine.objects.filter(return_scope, sale_line__producer=producer, settlement__isnull=True)
        .values(
            "sale_line__sale__center_id",
            "sale_line__product_id",
            "sale_line__product__name",
            "sale_line__commission_rate",
        )
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by()
    )
    for back in returned:
        key = (
            back["sale_line__sale__center_id"],
            back["sale_line__product_id"],
            back["sale_line__commission_rate"],
        )
        line = rows.setdefault(
            key, ProductSales(key[1], back["sale_line__product__name"], back["sale_line__commission_rate"])
        )
        line.returned, line.returns = back["quantity"], back["amount"]
    by_rate: dict[int, dict[Any, int]] = {}
    for (center_id, _product_id, rate), line in sorted(rows.items(), key=lambda item: item[1].name):
        summary = centers.get(center_id)
        if summary is None:
            continue
        summary.lines.append(line)
        summary.units_sold += line.quantity
        summary.units_returned += line.returned
        summary.gross += line.amount
        summary.returns += line.returns
        rates = by_rate.setdefault(center_id, {})
        rates[rate] = rates.get(rate, 0) + line.amount - line.returns
    for center_id, rates in by_rate.items():
        centers[center_id].commission = sum(round_vnd(net * rate) for rate, net in rates.items())
    return list(centers.values())
