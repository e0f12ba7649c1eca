"""Sales API, the counter: cashiers' shifts, counter sales, returns and refunds."""

from typing import Any

from django.db.models import Q, Sum
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Schema, Status
from ninja.errors import AuthorizationError
from pydantic import BaseModel, Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH
from ocophub.accounts.models import Role
from ocophub.centers.models import Center
from ocophub.common.api import ERRORS_AUTH, MAX_ID, MAX_LIMIT, MAX_OFFSET, paginate
from ocophub.common.errors import NotFound
from ocophub.common.idempotency import MAX_KEY_LENGTH, run_once
from ocophub.inventory.api import center_ref
from ocophub.inventory.schemas import Day

from . import selectors, services
from .models import PaymentState, Refund, Return, Sale, Shift
from .schemas import (
    RefundApprovalIn,
    RefundApprovalOut,
    RefundIn,
    ReturnIn,
    SaleDetail,
    SaleIn,
    SalePage,
    ShiftCloseIn,
    ShiftDetail,
    ShiftIn,
    ShiftPage,
)

router = Router(tags=["sales"], auth=API_AUTH)


def as_json(schema: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """The answer as the client receives it, so that an Idempotency-Key replay is byte for byte the same."""
    return schema.model_validate(data).model_dump(mode="json")


def selling_center(request: HttpRequest, center_id: int, field: str = "center_id") -> Center:
    """A center where the caller sells (staff and managers), or 404."""
    center = Center.objects.select_related("commune").filter(pk=center_id).first()
    if center is None or not permissions.can_sell_at(request.user, center):
        raise NotFound(_("No such center among yours."), fields={field: _("Does not exist.")})
    return center


# --- shifts ----------------------------------------------------------------------------------------


def shift_out(shift: Shift, expected: int | None = None) -> dict[str, Any]:
    return {
        "id": shift.pk,
        "center": center_ref(shift.center),
        "opened_by": str(shift.opened_by),
        "opened_at": shift.opened_at,
        "opening_float": shift.opening_float,
        "is_open": shift.is_open,
        "closed_by": str(shift.closed_by) if shift.closed_by_id else None,
        "closed_at": shift.closed_at,
        "expected_cash": shift.expected_cash if expected is None else expected,
        "counted_cash": shift.counted_cash,
        "variance": shift.variance,
        "notes": shift.notes,
    }


def _shifts(request: HttpRequest) -> Any:
    return selectors.visible_shifts(request.user).select_related("center", "opened_by", "closed_by")


def _shift_detail(shift: Shift) -> dict[str, Any]:
    """The shift with its cash lines: refunds for returned goods and refunds without goods apart."""
    summary = selectors.shift_summary(shift)
    return {
        **shift_out(shift, summary.expected),
        "cash_sales": summary.cash_sales,
        "cash_refunded_for_returns": summary.cash_return_refunds,
        "cash_refunded_without_goods": summary.cash_refunds_without_goods,
        "refunded_without_goods": summary.refunds_without_goods,
        "refunds_without_goods": [
            {
                "id": refund.pk,
                "sale_id": refund.payment.sale_id,
                "sale_number": refund.payment.sale.number if refund.payment.sale else "",
                "method": refund.payment.method,
                "amount": refund.amount,
                "reason": refund.reason,
                "created_at": refund.created_at,
                "refunded_by": str(refund.actor) if refund.actor_id else None,
                "approved_by": str(refund.approved_by) if refund.approved_by_id else None,
            }
            for refund in summary.without_goods
        ],
    }


class ShiftQuery(Schema):
    center_id: int | None = Field(None, ge=1, le=MAX_ID)
    is_open: bool | None = Field(None, description="true: open shifts only; false: closed ones only")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/shifts", response={200: ShiftPage, **ERRORS_AUTH}, summary="Counter shifts")
def list_shifts(request: HttpRequest, filters: Query[ShiftQuery]) -> dict:
    """Shifts at the centers where you sell (every center for the city), newest first."""
    qs = _shifts(request)
    if filters.center_id is not None:
        qs = qs.filter(center_id=filters.center_id)
    if filters.is_open is not None:
        qs = qs.filter(closed_at__isnull=filters.is_open)
    count, rows = paginate(qs.order_by("-opened_at", "-pk"), filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [shift_out(shift) for shift in rows],
    }


@router.post("/shifts", response={201: ShiftDetail, **ERRORS_AUTH}, summary="Open a shift")
def open_shift(request: HttpRequest, payload: ShiftIn) -> Status:
    """A cashier opens a shift with the cash float in the drawer; one open shift per cashier and center."""
    center = selling_center(request, payload.center_id)
    shift = services.shift_open(actor=request.user, center=center, opening_float=payload.opening_float)
    return Status(201, _shift_detail(_shifts(request).get(pk=shift.pk)))


@router.get("/shifts/{shift_id}", response={200: ShiftDetail, **ERRORS_AUTH}, summary="One shift")
def get_shift(request: HttpRequest, shift_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """With the cash expected in the drawer (as of now while the shift is open)."""
    shift = _shifts(request).filter(pk=shift_id).first()
    if shift is None:
        raise Http404
    return _shift_detail(shift)


@router.post("/shifts/{shift_id}/close", response={200: ShiftDetail, **ERRORS_AUTH}, summary="Close a shift")
def close_shift(
    request: HttpRequest, payload: ShiftCloseIn, shift_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The cashier closes their own shift with the cash counted; managers close any shift of their center.
    The variance is counted − expected."""
    shift = _shifts(request).filter(pk=shift_id).first()
    if shift is None:
        raise Http404
    if not permissions.can_close_shift(request.user, shift):
        raise AuthorizationError
    services.shift_close(
        actor=request.user, shift=shift, counted_cash=payload.counted_cash, notes=payload.notes
    )
    return _shift_detail(_shifts(request).get(pk=shift.pk))


# --- sales -----------------------------------------------------------------------------------------


def sale_out(sale: Sale) -> dict[str, Any]:
    return {
        "id": sale.pk,
        "number": sale.number,
        "center": center_ref(sale.center),
        "channel": sale.channel,
        "created_at": sale.created_at,
        "total": sale.total,
        "seller": str(sale.seller) if sale.seller_id else None,
        "order_number": order.number if (order := sale.order) else None,
    }


def _sale_rows(user: Any) -> Any:
    return selectors.visible_sales(user).select_related("order")


def sale_detail(sale: Sale) -> dict[str, Any]:
    """The receipt with its lines, payments, returns and refunds; paid and refunded are sums of rows."""
    # a sale just written carries its rows (services.known_rows): nothing to read back
    known = getattr(sale, "_prefetched_objects_cache", {})
    lines = (
        list(known["lines"]) if "lines" in known else list(sale.lines.select_related("product", "stock__lot"))
    )
    payments = list(sale.payments.all())
    returns = (
        list(known["returns"])
        if "returns" in known
        else list(sale.returns.prefetch_related("lines").order_by("created_at", "pk"))
    )
    refunds = (
        known["refunds"]
        if "refunds" in known
        else list(
            Refund.objects.filter(payment__sale=sale)
            .select_related("approved_by")
            .order_by("created_at", "pk")
        )
    )
    back: dict[int, int] = {}
    for ret in returns:
        for row in ret.lines.all():
            back[row.sale_line_id] = back.get(row.sale_line_id, 0) + row.quantity
    return {
        **sale_out(sale),
        "client_uuid": sale.client_uuid,
        "shift_id": sale.shift_id,
        "lines": [
            {
                "id": line.pk,
                "product": {"id": line.product.pk, "slug": line.product.slug, "name": line.product.name},
                "producer_id": line.producer_id,
                "lot_code": line.stock.lot.code,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
                "commission_rate": line.commission_rate,
                "returned": back.get(line.pk, 0),
            }
            for line in lines
        ],
        "payments": [
            {
                "id": p.pk,
                "method": p.method,
                "amount": p.amount,
                "state": p.state,
                "tendered": p.tendered,
                "change": p.change,
                "reference": p.reference,
                "created_at": p.created_at,
            }
            for p in payments
        ],
        "returns": [_return_out(ret) for ret in returns],
        "refunds": [
            {
                "id": r.pk,
                "payment_id": r.payment_id,
                "return_id": r.ret_id,
                "amount": r.amount,
                "state": r.state,
                "reason": r.reason,
                "created_at": r.created_at,
                "approved_by": str(r.approved_by) if r.approved_by_id else None,
            }
            for r in refunds
        ],
        "paid": sum(p.amount for p in payments if p.state == PaymentState.SUCCEEDED),
        "refunded": sum(r.amount for r in refunds if r.state == PaymentState.SUCCEEDED),
    }


def _return_out(ret: Return) -> dict[str, Any]:
    return {
        "id": ret.pk,
        "number": ret.number,
        "created_at": ret.created_at,
        "reason": ret.reason,
        "restock": ret.restock,
        "amount": ret.amount,
        "lines": [
            {"sale_line_id": row.sale_line_id, "quantity": row.quantity, "amount": row.amount}
            for row in ret.lines.all()
        ],
    }


class SaleQuery(Schema):
    center_id: int | None = Field(None, ge=1, le=MAX_ID)
    since: Day | None = Field(None, description="First day (local time), inclusive")
    until: Day | None = Field(None, description="Last day (local time), inclusive")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/sales", response={200: SalePage, **ERRORS_AUTH}, summary="Sales")
def list_sales(request: HttpRequest, filters: Query[SaleQuery]) -> dict:
    """Receipts of your centers, the receipts holding your goods (producers), or all (the city)."""
    qs = _sale_rows(request.user)
    if filters.center_id is not None:
        qs = qs.filter(center_id=filters.center_id)
    if filters.since is not None:
        qs = qs.filter(created_at__gte=selectors.local_range(filters.since, filters.since)[0])
    if filters.until is not None:
        qs = qs.filter(created_at__lt=selectors.local_range(filters.until, filters.until)[1])
    user = request.user
    if not permissions.can_view_city_overview(user):
        # a producer's share of a receipt of a center where the user does not sell: its own lines only
        own = Q(lines__producer_id__in=permissions.scope_ids(user, Role.PRODUCER_MEMBER))
        qs = qs.annotate(own_total=Sum("lines__amount", filter=own))
    count, rows = paginate(qs.order_by("-created_at", "-pk"), filters.limit, filters.offset)
    selling = selectors.selling_center_ids(user)
    items = []
    for sale in rows:
        item = sale_out(sale)
        if not permissions.can_view_city_overview(user) and sale.center_id not in selling:
            item["total"] = int(sale.own_total or 0)
        items.append(item)
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


def _visible_sale(request: HttpRequest, sale_id: int) -> Sale:
    sale = _sale_rows(request.user).filter(pk=sale_id).first()
    if sale is None:
        raise Http404
    return sale


@router.get("/sales/{sale_id}", response={200: SaleDetail, **ERRORS_AUTH}, summary="One sale")
def get_sale(request: HttpRequest, sale_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    sale = _visible_sale(request, sale_id)
    user = request.user
    if permissions.can_sell_at(user, sale.center) or permissions.can_view_city_overview(user):
        return sale_detail(sale)
    return producer_view(sale_detail(sale), permissions.scope_ids(user, Role.PRODUCER_MEMBER))


def producer_view(detail: dict[str, Any], producer_ids: set[int]) -> dict[str, Any]:
    """What a producer sees of a receipt holding its goods: its own lines only; no other producer's
    goods, no payments, refunds or the till's id (which, for online sales, must not lead to the order)."""
    lines = [line for line in detail["lines"] if line["producer_id"] in producer_ids]
    kept = {line["id"] for line in lines}
    returns = []
    for ret in detail["returns"]:
        own = [row for row in ret["lines"] if row["sale_line_id"] in kept]
        if own:
            returns.append({**ret, "lines": own, "amount": sum(row["amount"] for row in own)})
    return {
        **detail,
        "client_uuid": None,
        "total": sum(line["amount"] for line in lines),
        "lines": lines,
        "returns": returns,
        "payments": [],
        "refunds": [],
        "paid": 0,
        "refunded": 0,
    }


@router.post(
    "/sales", response={200: SaleDetail, 201: SaleDetail, **ERRORS_AUTH}, summary="Sell at the counter"
)
def create_sale(
    request: HttpRequest,
    payload: SaleIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    """Sell in your open shift at the center. Goods leave the earliest-expiring lot first.

    201 with the receipt; a retry with the same `client_uuid` (or the same `Idempotency-Key` and body)
    books nothing and answers 200 with the first receipt. More than is on the shelf is 409 `sold_out`,
    goods left only in expired lots 409 `expired`; the same `client_uuid` with other goods is 422.
    """
    center = selling_center(request, payload.center_id)

    def work() -> tuple[int, Any]:
        sale, created = services.sale_create(
            actor=request.user,
            center=center,
            client_uuid=payload.client_uuid,
            lines=[services.LineIn(line.product_id, line.quantity) for line in payload.lines],
            method=payload.method,
            tendered=payload.tendered,
            reference=payload.reference,
        )
        if not created:
            sale = _sale_rows(request.user).get(pk=sale.pk)
        return (201 if created else 200), as_json(SaleDetail, sale_detail(sale))

    body = payload.model_dump(mode="json")
    status, answer = run_once(f"sales:{request.user.pk}", idempotency_key, body, work)
    return Status(status, answer)


def _sale_at_my_counter(request: HttpRequest, sale_id: int) -> Sale:
    sale = _visible_sale(request, sale_id)
    if not permissions.can_sell_at(request.user, sale.center):
        raise AuthorizationError
    return sale


@router.post("/sales/{sale_id}/returns", response={201: SaleDetail, **ERRORS_AUTH}, summary="Take goods back")
def create_return(
    request: HttpRequest, payload: ReturnIn, sale_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    """Staff of the sale's center take back at most what was sold less what already came back; the
    money is refunded against the sale's payments. Answers with the receipt as it now stands."""
    sale = _sale_at_my_counter(request, sale_id)
    lines: dict[int, int] = {}
    for line in payload.lines:
        lines[line.sale_line_id] = lines.get(line.sale_line_id, 0) + line.quantity
    services.return_create(
        actor=request.user, sale=sale, lines=lines, reason=payload.reason, restock=payload.restock
    )
    return Status(201, sale_detail(_sale_rows(request.user).get(pk=sale.pk)))


@router.post("/sales/{sale_id}/refunds", response={201: SaleDetail, **ERRORS_AUTH}, summary="Refund money")
def create_refund(
    request: HttpRequest, payload: RefundIn, sale_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    """Money back without goods, never more than was paid less what was already refunded (422).

    Managers of the sale's center refund directly; a cashier sends `approval_code`, the code of a
    manager's approval for this sale (`POST /sales/{id}/refund-approvals`): without one 403
    `approval_required`; a code already used 409 `approval_used`; expired, for another sale or center,
    or below the amount 422."""
    sale = _sale_at_my_counter(request, sale_id)
    services.refund_create(
        actor=request.user,
        sale=sale,
        amount=payload.amount,
        reason=payload.reason,
        approval_code=payload.approval_code,
    )
    return Status(201, sale_detail(_sale_rows(request.user).get(pk=sale.pk)))


@router.post(
    "/sales/{sale_id}/refund-approvals",
    response={201: RefundApprovalOut, **ERRORS_AUTH},
    summary="Approve a cashier's refund without goods",
)
def create_refund_approval(
    request: HttpRequest, payload: RefundApprovalIn, sale_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    """A manager of the sale's center approves one refund without goods against it, up to `max_amount`
    (at most what is left to refund). The answer holds the code, shown only here; it is valid for a
    few minutes (`expires_at`) and serves one refund."""
    sale = _sale_at_my_counter(request, sale_id)
    if not permissions.can_approve_refunds(request.user, sale.center):
        raise AuthorizationError
    approval, code = services.refund_approval_issue(
        actor=request.user, sale=sale, max_amount=payload.max_amount
    )
    return Status(
        201,
        {
            "id": approval.pk,
            "sale_id": sale.pk,
            "max_amount": approval.max_amount,
            "code": code,
            "expires_at": approval.expires_at,
            "approved_by": str(request.user),
        },
    )
