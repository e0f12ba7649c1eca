"""Inventory API: consigned stock per center and lot, its ledger, and the consignment agreements."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import AuthorizationError
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH
from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.api import ERRORS_AUTH, MAX_ID, MAX_LIMIT, MAX_OFFSET, paginate
from ocophub.common.dates import local_today
from ocophub.common.errors import NotFound

from . import selectors, services
from .models import Agreement, AgreementState, MovementKind, Stock
from .schemas import (
    AdjustmentIn,
    AgreementIn,
    AgreementOut,
    AgreementPage,
    AgreementStateName,
    AgreementTransitionIn,
    MovementPage,
    ReceiptIn,
    ReturnToProducerIn,
    StockOut,
    StockPage,
    TransferIn,
)

router = Router(tags=["inventory"], auth=API_AUTH)


def center_ref(center: Center) -> dict[str, Any]:
    return {"id": center.pk, "slug": center.slug, "name": center.name}


def stock_out(stock: Stock) -> dict[str, Any]:
    lot, product = stock.lot, stock.product
    return {
        "id": stock.pk,
        "center": center_ref(stock.center),
        "product": {"id": product.pk, "slug": product.slug, "name": product.name},
        "producer": {"id": product.producer.pk, "slug": product.producer.slug, "name": product.producer.name},
        "lot": {
            "id": lot.pk,
            "code": lot.code,
            "produced_on": lot.produced_on,
            "expires_on": lot.expires_on,
        },
        "on_hand": stock.on_hand,
        "reserved": stock.reserved,
        "available": stock.available,
        "expired": lot.expires_on is not None and lot.expires_on < local_today(),
    }


def _visible_stock(request: HttpRequest, stock_id: int) -> Stock:
    stock = selectors.visible_stock(request.user).filter(pk=stock_id).first()
    if stock is None:
        raise Http404
    return stock


def _managed_stock(request: HttpRequest, stock_id: int) -> Stock:
    """Stock the caller may move: a manager of its center. Others who see it are refused, the rest 404."""
    stock = _visible_stock(request, stock_id)
    if not permissions.can_manage_center_operations(request.user, stock.center):
        raise AuthorizationError
    return stock


def _center(center_id: int, field: str) -> Center:
    center = Center.objects.select_related("commune").filter(pk=center_id).first()
    if center is None:
        raise NotFound(_("No such center."), fields={field: _("Does not exist.")})
    return center


class StockQuery(Schema):
    center_id: int | None = Field(None, ge=1, le=MAX_ID)
    producer_id: int | None = Field(None, ge=1, le=MAX_ID)
    product_id: int | None = Field(None, ge=1, le=MAX_ID)
    in_stock: bool = Field(True, description="Only rows with goods on hand (false: empty rows too)")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/stock", response={200: StockPage, **ERRORS_AUTH}, summary="Stock")
def list_stock(request: HttpRequest, filters: Query[StockQuery]) -> dict:
    """The stock of your centers (staff and managers), your own goods at every center (producers), or the
    whole network (the city), by center, product and lot — earliest expiry first."""
    qs = selectors.visible_stock(request.user)
    if filters.center_id is not None:
        qs = qs.filter(center_id=filters.center_id)
    if filters.producer_id is not None:
        qs = qs.filter(producer_id=filters.producer_id)
    if filters.product_id is not None:
        qs = qs.filter(product_id=filters.product_id)
    count, rows = paginate(
        selectors.stock_list(qs, with_empty=not filters.in_stock), filters.limit, filters.offset
    )
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [stock_out(stock) for stock in rows],
    }


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/stock/{stock_id}/movements",
    response={200: MovementPage, **ERRORS_AUTH},
    summary="The ledger of one stock row",
)
def list_movements(
    request: HttpRequest, filters: Query[PageQuery], stock_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """Every change of on-hand and reserved quantities, newest first; the deltas sum to the stock."""
    stock = _visible_stock(request, stock_id)
    qs = stock.movements.select_related("actor").order_by("-at", "-pk")
    count, rows = paginate(qs, filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "stock": stock_out(stock),
        "items": [
            {
                "id": m.pk,
                "kind": m.kind,
                "kind_label": str(MovementKind(m.kind).label),
                "on_hand_delta": m.on_hand_delta,
                "reserved_delta": m.reserved_delta,
                "reason": m.reason,
                "reference": m.reference,
                "actor": str(m.actor) if m.actor_id else None,
                "at": m.at,
            }
            for m in rows
        ],
    }


def _stock_answer(request: HttpRequest, stock: Stock) -> dict[str, Any]:
    return stock_out(selectors.visible_stock(request.user).get(pk=stock.pk))


@router.post("/stock/receipts", response={201: StockOut, **ERRORS_AUTH}, summary="Receive goods")
def receive_stock(request: HttpRequest, payload: ReceiptIn) -> Status:
    """Goods arrive from a producer at a center where the producer has an agreement in force; staff and
    managers of the center. A lot already past its expiry date is refused."""
    center = _center(payload.center_id, "center_id")
    if not permissions.can_sell_at(request.user, center):
        raise NotFound(_("No such center among yours."), fields={"center_id": _("Does not exist.")})
    product = Product.objects.select_related("producer").filter(pk=payload.product_id).first()
    if product is None:
        raise NotFound(_("No such product."), fields={"product_id": _("Does not exist.")})
    stock = services.stock_receive(
        actor=request.user,
        center=center,
        product=product,
        quantity=payload.quantity,
        lot_code=payload.lot_code,
        produced_on=payload.produced_on,
        expires_on=payload.expires_on,
        reason=payload.reason,
    )
    return Status(201, _stock_answer(request, stock))


@router.post(
    "/stock/{stock_id}/adjustments", response={200: StockOut, **ERRORS_AUTH}, summary="Correct a count"
)
def adjust_stock(
    request: HttpRequest, payload: AdjustmentIn, stock_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """Breakage, loss or a recount, with the reason: the center's managers. Never below what is held."""
    stock = _managed_stock(request, stock_id)
    services.stock_adjust(actor=request.user, stock=stock, delta=payload.delta, reason=payload.reason)
    return _stock_answer(request, stock)


@router.post(
    "/stock/{stock_id}/transfers",
    response={201: StockOut, **ERRORS_AUTH},
    summary="Transfer goods to another center",
)
def transfer_stock(
    request: HttpRequest, payload: TransferIn, stock_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    """The managers of the sending center move goods of one lot to another center that has its own
    agreement with the producer. Answers with the receiving center's stock row."""
    stock = _managed_stock(request, stock_id)
    to_center = _center(payload.to_center_id, "to_center_id")
    target = services.stock_transfer(
        actor=request.user, stock=stock, to_center=to_center, quantity=payload.quantity, reason=payload.reason
    )
    target = Stock.objects.select_related("center", "lot", "product__producer").get(pk=target.pk)
    return Status(201, stock_out(target))


@router.post(
    "/stock/{stock_id}/returns",
    response={200: StockOut, **ERRORS_AUTH},
    summary="Return goods to the producer",
)
def return_stock(
    request: HttpRequest, payload: ReturnToProducerIn, stock_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The center's managers hand unsold goods back to their producer; held goods cannot go."""
    stock = _managed_stock(request, stock_id)
    services.stock_return_to_producer(
        actor=request.user, stock=stock, quantity=payload.quantity, reason=payload.reason
    )
    return _stock_answer(request, stock)


# --- agreements ---------------------------------------------------------------------------------


def agreement_out(agreement: Agreement) -> dict[str, Any]:
    today = local_today()
    producer = agreement.producer
    return {
        "id": agreement.pk,
        "producer": {"id": producer.pk, "slug": producer.slug, "name": producer.name},
        "center": center_ref(agreement.center),
        "commission_rate": agreement.commission_rate,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "state": agreement.state,
        "state_label": str(AgreementState(agreement.state).label),
        "notes": agreement.notes,
        "in_force": agreement.state == AgreementState.ACTIVE
        and agreement.starts_on <= today
        and (agreement.ends_on is None or agreement.ends_on >= today),
    }


class AgreementQuery(Schema):
    center_id: int | None = Field(None, ge=1, le=MAX_ID)
    producer_id: int | None = Field(None, ge=1, le=MAX_ID)
    state: AgreementStateName | None = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/agreements", response={200: AgreementPage, **ERRORS_AUTH}, summary="Consignment agreements")
def list_agreements(request: HttpRequest, filters: Query[AgreementQuery]) -> dict:
    """Agreements of your centers or your producer (all of them for the city)."""
    qs = selectors.visible_agreements(request.user)
    if filters.center_id is not None:
        qs = qs.filter(center_id=filters.center_id)
    if filters.producer_id is not None:
        qs = qs.filter(producer_id=filters.producer_id)
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    count, rows = paginate(
        qs.order_by("center__name", "producer__folded_name", "-starts_on", "pk"),
        filters.limit,
        filters.offset,
    )
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [agreement_out(a) for a in rows],
    }


@router.post("/agreements", response={201: AgreementOut, **ERRORS_AUTH}, summary="Sign an agreement")
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status:
    """The center's managers (or the city) sign with a producer: the commission rate is 0 to 0.5, and two
    agreements of one producer and center may not cover the same day."""
    center = _center(payload.center_id, "center_id")
    if not permissions.can_manage_agreements(request.user, center):
        raise NotFound(_("No such center among yours."), fields={"center_id": _("Does not exist.")})
    producer = Producer.objects.filter(pk=payload.producer_id).first()
    if producer is None:
        raise NotFound(_("No such producer."), fields={"producer_id": _("Does not exist.")})
    agreement = services.agreement_create(
        actor=request.user,
        producer=producer,
        center=center,
        commission_rate=payload.commission_rate,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        notes=payload.notes,
        activate=payload.activate,
    )
    return Status(201, agreement_out(selectors.visible_agreements(request.user).get(pk=agreement.pk)))


@router.post(
    "/agreements/{agreement_id}/transitions",
    response={200: AgreementOut, **ERRORS_AUTH},
    summary="Activate or end an agreement",
)
def transition_agreement(
    request: HttpRequest, payload: AgreementTransitionIn, agreement_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """draft → active → ended (or draft → ended); ending one without an end date ends it today."""
    agreement = selectors.visible_agreements(request.user).filter(pk=agreement_id).first()
    if agreement is None:
        raise Http404
    if not permissions.can_manage_agreements(request.user, agreement.center):
        raise AuthorizationError
    services.agreement_move(
        actor=request.user, agreement=agreement, to_state=payload.to, reason=payload.reason
    )
    return agreement_out(selectors.visible_agreements(request.user).get(pk=agreement.pk))
