"""Sales API, the online shop: orders placed by customers and guests, paid and handed over at a center."""

import uuid
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Header, Path, Query, Router, Schema, Status
from ninja.errors import AuthorizationError
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH, PUBLIC_AUTH, BearerToken, CsrfRefused, Session
from ocophub.centers.models import Center
from ocophub.common.api import (
    ERRORS_AUTH,
    ERRORS_PUBLIC,
    MAX_ID,
    MAX_LIMIT,
    MAX_OFFSET,
    AnyCaller,
    ErrorBody,
    paginate,
)
from ocophub.common.idempotency import MAX_KEY_LENGTH, run_once
from ocophub.common.ratelimit import client_address
from ocophub.inventory.api import center_ref
from ocophub.places.api import commune_from_code

from . import selectors, services, vietqr
from .api_counter import as_json
from .models import BankAccount, Order, OrderLine, OrderStatus, PaymentState
from .schemas import OrderIn, OrderOut, OrderPage, OrderPaymentIn, OrderStatusName, OrderTransitionIn

router = Router(tags=["orders"], auth=API_AUTH)


class SessionWithCsrf(Session):
    """The browser session, only when the request carries its CSRF token.

    Without the token the request is not refused but goes on to `guest`: a page of another site can
    then at most place a guest order, never one in the session user's name.
    """

    def __call__(self, request: HttpRequest) -> Any:
        try:
            return super().__call__(request)
        except CsrfRefused:
            return None


class Guest(AnyCaller):
    """Accepts a caller without credentials as a guest, forgetting any session user it came with.

    A request that sends a bearer token which is not valid is refused (401), not taken for a guest.
    """

    def __call__(self, request: HttpRequest) -> bool:
        if "authorization" in request.headers:
            return False
        request.user = AnonymousUser()
        return True


ORDER_AUTH: list[Any] = [BearerToken(), SessionWithCsrf(), Guest()]


def _bank_account(center: Center) -> BankAccount | None:
    try:
        account = center.bank_account
    except ObjectDoesNotExist:
        return None
    return account if account.active else None


def payment_qr(order: Order) -> str | None:
    """The VietQR text of a transfer of the order's total to its center, the order number as message."""
    account = _bank_account(order.center)
    if account is None:
        return None
    try:
        return vietqr.payload(
            bank_bin=account.bank_bin,
            account=account.account_number,
            amount=order.total or None,
            message=order.number,
        )
    except ValueError:
        return None  # an account recorded with a malformed BIN or number: no code rather than a wrong one


def order_out(order: Order) -> dict[str, Any]:
    """Lines of one product held in several lots are shown as one line."""
    merged: dict[int, dict[str, Any]] = {}
    for line in order.lines.all():
        row = merged.setdefault(
            line.product_id,
            {
                "product": {"id": line.product.pk, "slug": line.product.slug, "name": line.product.name},
                "quantity": 0,
                "unit_price": line.unit_price,
                "amount": 0,
            },
        )
        row["quantity"] += line.quantity
        row["amount"] += line.amount
    return {
        "number": order.number,
        "token": order.token,
        "status": order.status,
        "status_label": str(OrderStatus(order.status).label),
        "center": center_ref(order.center),
        "fulfilment": order.fulfilment,
        "name": order.name,
        "email": order.email,
        "phone": order.phone,
        "address": order.address,
        "note": order.note,
        "total": order.total,
        "paid": sum(p.amount for p in order.payments.all() if p.state == PaymentState.SUCCEEDED),
        "created_at": order.created_at,
        "hold_until": order.hold_until,
        "lines": list(merged.values()),
        "payment_qr": payment_qr(order),
    }


def _with_details(qs: Any) -> Any:
    return qs.select_related("center__bank_account").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("product").order_by("pk")), "payments"
    )


def _order(number: str) -> Order | None:
    return _with_details(Order.objects.filter(number=number)).first()


@router.post(
    "/orders",
    auth=ORDER_AUTH,
    response={200: OrderOut, 201: OrderOut, **ERRORS_AUTH, 429: ErrorBody},
    summary="Place an order",
)
def create_order(
    request: HttpRequest,
    payload: OrderIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    """Customers and guests order from one center; the goods are held until the order is paid or the hold
    runs out (`hold_until`). Pay by transfer with `payment_qr`, keep `token` to follow a guest order.

    201 with the order; the same `Idempotency-Key` and body answer 200 with the first order again (one
    order); the same key with another body is 422. More than the center has is 409 `sold_out` and
    nothing is held. An order holds at most `ORDER_MAX_UNITS_PER_LINE` of a product and
    `ORDER_MAX_UNITS` in all (422 `order_too_large`); a contact or client address with too many unpaid
    orders gets 409 `too_many_open_orders`; a guest's checkouts per address are rate-limited (429
    `rate_limited`, with `Retry-After`).
    """
    user = request.user

    def work() -> tuple[int, Any]:
        commune = None
        if payload.fulfilment == "delivery" and payload.commune_code is not None:
            commune = commune_from_code(payload.commune_code)
        order = services.order_place(
            actor=user,
            data=services.Checkout(
                # read, and on PostgreSQL locked, in the order's transaction: an unknown center is 404
                center_id=payload.center_id,
                lines=[services.LineIn(line.product_id, line.quantity) for line in payload.lines],
                name=payload.name,
                email=payload.email,
                phone=payload.phone,
                fulfilment=payload.fulfilment,
                address=payload.address,
                commune=commune,
                note=payload.note,
                client_ip=client_address(request),
            ),
        )
        # the order as written carries its center, lines and (no) payments: nothing is read back
        return 201, as_json(OrderOut, order_out(order))

    # guests are told apart by their e-mail (or phone, without one), so that two guests who pick the
    # same key never meet
    contact = payload.email.strip().lower() or f"tel:{payload.phone.strip()}"
    scope = f"orders:{user.pk}" if user.is_authenticated else f"orders:guest:{contact}"
    status, answer = run_once(scope, idempotency_key, payload.model_dump(mode="json"), work)
    return Status(status, answer)


class OrderQuery(Schema):
    center_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Orders of a center where you sell (default: the orders you placed)",
    )
    status: OrderStatusName | None = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/orders", response={200: OrderPage, **ERRORS_AUTH}, summary="Orders")
def list_orders(request: HttpRequest, filters: Query[OrderQuery]) -> dict:
    """The orders you placed; with `center_id`, the orders of that center if you sell there (or are the
    city), newest first."""
    qs = selectors.visible_orders(request.user)
    if filters.center_id is None:
        qs = qs.filter(customer_id=request.user.pk)
    else:
        qs = qs.filter(center_id=filters.center_id)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    count, rows = paginate(_with_details(qs.order_by("-created_at", "-pk")), filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [order_out(order) for order in rows],
    }


class TokenQuery(Schema):
    token: uuid.UUID | None = Field(None, description="The order's token, for a guest")


@router.get(
    "/orders/{number}",
    auth=PUBLIC_AUTH,
    response={200: OrderOut, **ERRORS_PUBLIC},
    summary="One order",
)
def get_order(request: HttpRequest, query: Query[TokenQuery], number: str = Path(..., max_length=20)) -> dict:
    """Its customer, the center's staff and the city; a guest with the order's `token`."""
    order = _order(number)
    if order is None or not (
        permissions.can_view_order(request.user, order)
        or (query.token is not None and query.token == order.token)
    ):
        raise Http404
    return order_out(order)


def _viewable(request: HttpRequest, number: str) -> Order:
    order = _order(number)
    if order is None or not permissions.can_view_order(request.user, order):
        raise Http404
    return order


def _answer(number: str) -> dict[str, Any]:
    return order_out(_with_details(Order.objects.filter(number=number)).get())


@router.post(
    "/orders/{number}/payments",
    response={200: OrderOut, **ERRORS_AUTH},
    summary="Record an order's payment",
)
def pay_order(request: HttpRequest, payload: OrderPaymentIn, number: str = Path(..., max_length=20)) -> dict:
    """Staff of the order's center record the money received: the held goods are sold."""
    order = _viewable(request, number)
    if not permissions.can_sell_at(request.user, order.center):
        raise AuthorizationError
    services.order_pay(actor=request.user, order=order, method=payload.method, reference=payload.reference)
    return _answer(number)


@router.post(
    "/orders/{number}/transitions",
    response={200: OrderOut, **ERRORS_AUTH},
    summary="Move an order along its pipeline",
)
def transition_order(
    request: HttpRequest, payload: OrderTransitionIn, number: str = Path(..., max_length=20)
) -> dict:
    """Staff of the center: ready (pick-up) or shipped (delivery), completed, cancelled (unpaid) or
    refunded (paid; the reason is required). The customer may cancel their own order while it is unpaid.
    Moves the pipeline does not allow are 409."""
    order = _viewable(request, number)
    staff = permissions.can_sell_at(request.user, order.center)
    own = order.customer_id is not None and order.customer_id == request.user.pk
    if not staff and not (own and payload.to == OrderStatus.CANCELLED):
        raise AuthorizationError
    if payload.to == OrderStatus.CANCELLED:
        services.order_cancel(actor=request.user, order=order, reason=payload.reason)
    elif payload.to == OrderStatus.REFUNDED:
        services.order_refund(actor=request.user, order=order, reason=payload.reason)
    else:
        services.order_move(actor=request.user, order=order, to_state=payload.to, reason=payload.reason)
    return _answer(number)
