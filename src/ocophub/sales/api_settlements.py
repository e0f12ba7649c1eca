"""Sales API, settlements: what a center owes each producer for a finished period."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import AuthorizationError
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH
from ocophub.catalogue.models import Producer
from ocophub.centers.models import Center
from ocophub.common.api import ERRORS_AUTH, MAX_ID, MAX_LIMIT, MAX_OFFSET, paginate
from ocophub.common.errors import NotFound
from ocophub.inventory.api import center_ref

from . import selectors, services
from .models import Settlement, SettlementState
from .schemas import (
    PayoutIn,
    SalesToDateOut,
    SettlementAnswerIn,
    SettlementCancelIn,
    SettlementDetail,
    SettlementDisputeIn,
    SettlementIn,
    SettlementPage,
    SettlementStateName,
)

router = Router(tags=["settlements"], auth=API_AUTH)


def settlement_out(settlement: Settlement) -> dict[str, Any]:
    producer = settlement.producer
    return {
        "id": settlement.pk,
        "producer": {"id": producer.pk, "slug": producer.slug, "name": producer.name},
        "center": center_ref(settlement.center),
        "period_start": settlement.period_start,
        "period_end": settlement.period_end,
        "state": settlement.state,
        "state_label": str(SettlementState(settlement.state).label),
        "units_sold": settlement.units_sold,
        "units_returned": settlement.units_returned,
        "gross": settlement.gross,
        "returns": settlement.returns,
        "commission": settlement.commission,
        "net": settlement.net,
        "created_at": settlement.created_at,
        "paid_on": settlement.paid_on,
        "payout_reference": settlement.payout_reference,
        "dispute_reason": settlement.dispute_reason,
        "dispute_reply": settlement.dispute_reply,
    }


def settlement_detail(settlement: Settlement) -> dict[str, Any]:
    events = settlement.events.select_related("actor").order_by("at", "pk")
    return {
        **settlement_out(settlement),
        "events": [
            {
                "from_state": e.from_state,
                "to_state": e.to_state,
                "at": e.at,
                "reason": e.reason,
                "actor": str(e.actor) if e.actor_id else None,
            }
            for e in events
        ],
    }


def _visible(request: HttpRequest, settlement_id: int) -> Settlement:
    settlement = selectors.visible_settlements(request.user).filter(pk=settlement_id).first()
    if settlement is None:
        raise Http404
    return settlement


def _managed(request: HttpRequest, settlement_id: int) -> Settlement:
    """A settlement of a center the caller manages; others who may read it are refused."""
    settlement = _visible(request, settlement_id)
    if not permissions.can_manage_center_operations(request.user, settlement.center):
        raise AuthorizationError
    return settlement


def _answer(request: HttpRequest, settlement: Settlement) -> dict[str, Any]:
    return settlement_detail(selectors.visible_settlements(request.user).get(pk=settlement.pk))


class SettlementQuery(Schema):
    producer_id: int | None = Field(None, ge=1, le=MAX_ID)
    center_id: int | None = Field(None, ge=1, le=MAX_ID)
    state: SettlementStateName | None = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/settlements", response={200: SettlementPage, **ERRORS_AUTH}, summary="Settlements")
def list_settlements(request: HttpRequest, filters: Query[SettlementQuery]) -> dict:
    """Statements of the centers you manage, of your producer, or all of them (the city); latest first."""
    qs = selectors.visible_settlements(request.user)
    if filters.producer_id is not None:
        qs = qs.filter(producer_id=filters.producer_id)
    if filters.center_id is not None:
        qs = qs.filter(center_id=filters.center_id)
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    count, rows = paginate(qs.order_by("-period_end", "-pk"), filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [settlement_out(s) for s in rows],
    }


@router.get(
    "/settlements/{settlement_id}", response={200: SettlementDetail, **ERRORS_AUTH}, summary="One settlement"
)
def get_settlement(request: HttpRequest, settlement_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    return settlement_detail(_visible(request, settlement_id))


@router.post("/settlements", response={201: SettlementDetail, **ERRORS_AUTH}, summary="Issue a settlement")
def create_settlement(request: HttpRequest, payload: SettlementIn) -> Status:
    """The center's managers settle a finished period (ending before today) with one producer: the
    period's unsettled sales less returns less the commission. Periods of one producer and center may
    not overlap (409)."""
    center = Center.objects.select_related("commune").filter(pk=payload.center_id).first()
    if center is None or not permissions.can_manage_center_operations(request.user, center):
        raise NotFound(_("No such center among yours."), fields={"center_id": _("Does not exist.")})
    producer = Producer.objects.filter(pk=payload.producer_id).first()
    if producer is None:
        raise NotFound(_("No such producer."), fields={"producer_id": _("Does not exist.")})
    settlement = services.settlement_create(
        actor=request.user,
        producer=producer,
        center=center,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, _answer(request, settlement))


@router.post(
    "/settlements/{settlement_id}/accept",
    response={200: SettlementDetail, **ERRORS_AUTH},
    summary="Accept a settlement",
)
def accept_settlement(request: HttpRequest, settlement_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """The producer's members accept the statement of what they are owed."""
    settlement = _visible(request, settlement_id)
    if not permissions.can_accept_settlement(request.user, settlement):
        raise AuthorizationError
    services.settlement_accept(actor=request.user, settlement=settlement)
    return _answer(request, settlement)


@router.get(
    "/producers/{producer_id}/sales-to-date",
    response={200: SalesToDateOut, **ERRORS_AUTH},
    summary="A producer's sales to date",
)
def producer_sales_to_date(request: HttpRequest, producer_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """For each center where the producer consigns: its unsettled sales and returns since the last
    settlement there, by product and commission rate, the commission and the net due so far. For the
    producer's members and the city; another producer is 404."""
    producer = Producer.objects.filter(pk=producer_id).first()
    if producer is None or not permissions.can_view_producer_goods(request.user, producer):
        raise Http404
    return {
        "producer": {"id": producer.pk, "slug": producer.slug, "name": producer.name},
        "centers": [
            {
                "center": center_ref(summary.center),
                "since": summary.since,
                "agreement_rate": summary.agreement_rate,
                "units_sold": summary.units_sold,
                "units_returned": summary.units_returned,
                "gross": summary.gross,
                "returns": summary.returns,
                "commission": summary.commission,
                "net": summary.net,
                "lines": [
                    {
                        "product_id": line.product_id,
                        "name": line.name,
                        "commission_rate": line.rate,
                        "quantity": line.quantity,
                        "amount": line.amount,
                        "units_returned": line.returned,
                        "returns": line.returns,
                    }
                    for line in summary.lines
                ],
            }
            for summary in selectors.producer_sales_to_date(producer)
        ],
    }


@router.post(
    "/settlements/{settlement_id}/dispute",
    response={200: SettlementDetail, **ERRORS_AUTH},
    summary="Dispute a settlement",
)
def dispute_settlement(
    request: HttpRequest, payload: SettlementDisputeIn, settlement_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The producer's members dispute an issued statement instead of accepting it, saying why; the
    center's managers are told by e-mail. Any other state is 409."""
    settlement = _visible(request, settlement_id)
    if not permissions.can_dispute_settlement(request.user, settlement):
        raise AuthorizationError
    services.settlement_dispute(actor=request.user, settlement=settlement, reason=payload.reason)
    return _answer(request, settlement)


@router.post(
    "/settlements/{settlement_id}/answer",
    response={200: SettlementDetail, **ERRORS_AUTH},
    summary="Answer a dispute",
)
def answer_settlement(
    request: HttpRequest, payload: SettlementAnswerIn, settlement_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The center's managers answer a disputed statement: confirm it (issued again) or cancel it so that
    a corrected one can be issued; the producer is told by e-mail. A statement not disputed is 409."""
    settlement = _visible(request, settlement_id)
    if not permissions.can_answer_settlement_dispute(request.user, settlement):
        raise AuthorizationError
    services.settlement_answer(
        actor=request.user, settlement=settlement, reply=payload.reply, outcome=payload.outcome
    )
    return _answer(request, settlement)


@router.post(
    "/settlements/{settlement_id}/cancel",
    response={200: SettlementDetail, **ERRORS_AUTH},
    summary="Withdraw a settlement",
)
def cancel_settlement(
    request: HttpRequest, payload: SettlementCancelIn, settlement_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The center's managers withdraw an issued statement (not yet accepted); its sales settle again."""
    settlement = _managed(request, settlement_id)
    services.settlement_cancel(actor=request.user, settlement=settlement, reason=payload.reason)
    return _answer(request, settlement)


@router.post(
    "/settlements/{settlement_id}/payout",
    response={200: SettlementDetail, **ERRORS_AUTH},
    summary="Record the payout",
)
def pay_settlement(
    request: HttpRequest, payload: PayoutIn, settlement_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The center's managers record the transfer of an accepted statement's net to the producer."""
    settlement = _managed(request, settlement_id)
    services.settlement_pay(
        actor=request.user, settlement=settlement, paid_on=payload.paid_on, reference=payload.reference
    )
    return _answer(request, settlement)
