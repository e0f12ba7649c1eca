"""Design API, requests: the list a caller may see, one request, and a producer's new request."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Schema, Status
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH
from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.api import ERRORS_AUTH, MAX_ID, MAX_LIMIT, MAX_OFFSET, paginate
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError, NotFound
from ocophub.common.idempotency import MAX_KEY_LENGTH, run_once
from ocophub.programme.models import Commitment

from . import selectors, services
from .api_common import as_json, client_field_names, request_detail, request_out, visible
from .models import OPEN_STATES, Payer
from .schemas import (
    DesignKindName,
    DesignRequestDetail,
    DesignRequestIn,
    DesignRequestPage,
    DesignStateName,
)

router = Router(auth=API_AUTH)


class DesignRequestQuery(Schema):
    state: DesignStateName | None = None
    center_id: int | None = Field(None, ge=1, le=MAX_ID)
    producer_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: DesignKindName | None = None
    overdue: bool | None = Field(None, description="true: past the due date with the work still owed")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/requests", response={200: DesignRequestPage, **ERRORS_AUTH}, summary="Design requests")
def list_requests(request: HttpRequest, filters: Query[DesignRequestQuery]) -> dict:
    """The requests you may see: your producer's, your center's (managers), those assigned to you
    (designers), or all of them (the city); latest first."""
    qs = selectors.visible_requests(request.user)
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    if filters.center_id is not None:
        qs = qs.filter(center_id=filters.center_id)
    if filters.producer_id is not None:
        qs = qs.filter(producer_id=filters.producer_id)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    today = local_today()
    if filters.overdue is True:
        qs = qs.filter(state__in=OPEN_STATES, due_on__lt=today)
    elif filters.overdue is False:
        qs = qs.exclude(state__in=OPEN_STATES, due_on__lt=today)
    count, rows = paginate(qs.order_by("-submitted_at", "-pk"), filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [request_out(row, today) for row in rows],
    }


@router.get(
    "/requests/{request_id}", response={200: DesignRequestDetail, **ERRORS_AUTH}, summary="One design request"
)
def get_request(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    return request_detail(visible(request, request_id))


def _products(producer: Producer, ids: list[int]) -> list[Product]:
    """The products by id, in the order given; an unknown id is told like another producer's product."""
    wanted = list(dict.fromkeys(ids))
    found = {p.pk: p for p in Product.objects.filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise DomainError(
            _("A request can only be for the producer's own products."),
            fields={"product_ids": _("Not a product of this producer.")},
        )
    return [found[pk] for pk in wanted]


def _shares_check(payload: DesignRequestIn) -> None:
    """The subsidy's share agrees with who pays: none for the producer alone, all of it for a subsidy
    alone (when given), part of it when shared."""
    percent = payload.subsidy_percent
    wrong = (
        (payload.payer == Payer.PRODUCER and percent not in (None, 0))
        or (payload.payer == Payer.SUBSIDY and percent not in (None, 100))
        or (payload.payer == Payer.SHARED and (percent is None or not 0 < percent < 100))
    )
    if wrong:
        raise DomainError(
            _("The producer's share and the subsidy's share must add up to 100 %, as who pays says."),
            fields={"subsidy_percent": _("Does not match who pays.")},
        )


@router.post(
    "/requests",
    response={200: DesignRequestDetail, 201: DesignRequestDetail, **ERRORS_AUTH},
    summary="Ask for a design",
)
def create_request(
    request: HttpRequest,
    payload: DesignRequestIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    """A producer's members ask a center's designers for a design of some of the producer's products.
    Reference files are added afterwards (POST …/references). Who pays: the producer alone
    (`subsidy_percent` 0 or left out), a subsidy alone (100) or both (1–99), a subsidy drawn on a
    funding commitment to the center within what is left of it.

    201 with the request; the same `Idempotency-Key` and body answer 200 with the first request again;
    the same key with another body is 422."""
    producer = Producer.objects.filter(pk=payload.producer_id).first()
    if producer is None or not permissions.can_request_design(request.user, producer):
        raise NotFound(_("No such producer among yours."), fields={"producer_id": _("Does not exist.")})
    center = Center.objects.filter(pk=payload.center_id).first()
    if center is None:
        raise NotFound(_("No such center."), fields={"center_id": _("Does not exist.")})
    commitment = None
    if payload.commitment_id is not None:
        commitment = Commitment.objects.filter(pk=payload.commitment_id).first()
        if commitment is None:
            raise DomainError(
                _("No such funding commitment."), fields={"commitment_id": _("Does not exist.")}
            )
    _shares_check(payload)
    products = _products(producer, payload.product_ids)
    user = request.user

    def work() -> tuple[int, Any]:
        with client_field_names():
            design_request = services.design_request_submit(
                actor=user,
                producer=producer,
                center=center,
                kind=payload.kind,
                title=payload.title,
                products=products,
                brief=payload.brief,
                wished_on=payload.wished_on,
                budget=payload.budget,
                payer=payload.payer,
                subsidy_percent=payload.subsidy_percent,
                commitment=commitment,
            )
        return 201, as_json(DesignRequestDetail, request_detail(visible(request, design_request.pk)))

    status, answer = run_once(
        f"design-requests:{user.pk}", idempotency_key, payload.model_dump(mode="json"), work
    )
    return Status(status, answer)
