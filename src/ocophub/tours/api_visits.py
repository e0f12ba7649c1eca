"""Tours API, visits: the staff of a center scan a tour ticket when the group arrives (the visit of
the departure to the center is recorded once, each ticket once), and the visits with the counter
sales attributed to them, scoped by role: a center's staff see the visits to their centers, an
operator's members those of its departures, the tourism department and the city all."""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.centers.models import Center
from ocophub.common.api import ERRORS_AUTH, MAX_LIMIT, MAX_OFFSET, IsoDateTime, Page, paginate
from ocophub.common.errors import NotFound
from ocophub.common.idempotency import MAX_KEY_LENGTH, run_once
from ocophub.events.api_common import as_json
from ocophub.inventory.schemas import Id

from . import selectors_visits as sv
from . import services
from .api_common import member_operator_ids, reads_everything
from .models import Visit

router = Router()


class VisitOut(Schema):
    id: int
    departure_id: int
    tour_id: int
    tour_title: str
    center_id: int
    center_name: str
    operator_id: int
    operator_name: str
    arrived_at: IsoDateTime
    ends_at: IsoDateTime = Field(description="The end of the window that counter sales are attributed to")
    heads: int
    sales: int = Field(description="Counter sales attributed to the visit")
    sales_total: int = Field(description="Their total in đồng")


class VisitPage(Page):
    items: list[VisitOut]


class VisitScanIn(Schema):
    center_id: Id = Field(description="The center the group arrives at (a stop of the tour)")
    code: str = Field(min_length=1, max_length=60, description="The ticket's code, as scanned or typed")


class VisitScanOut(Schema):
    code: str
    heads: int = Field(description="People of this ticket")
    at: IsoDateTime
    visit: VisitOut


class VisitQuery(Schema):
    center_id: Id | None = None
    operator_id: Id | None = None
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def visit_out(visit: Visit, sold: tuple[int, int]) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "departure_id": visit.departure_id,
        "tour_id": visit.departure.tour_id,
        "tour_title": visit.departure.tour.title,
        "center_id": visit.center_id,
        "center_name": visit.center.name,
        "operator_id": visit.operator_id,
        "operator_name": visit.operator.name,
        "arrived_at": visit.arrived_at,
        "ends_at": visit.ends_at,
        "heads": visit.heads,
        "sales": sold[0],
        "sales_total": sold[1],
    }


def visible_visits(user: Any) -> Any:
    qs = sv.visits_of()
    if reads_everything(user):
        return qs
    centers = permissions.scope_ids(user, Role.CENTER_MANAGER, Role.CENTER_STAFF)
    return qs.filter(Q(center_id__in=centers) | Q(operator_id__in=member_operator_ids(user)))


@router.get("/visits", response={200: VisitPage, **ERRORS_AUTH}, summary="Tour groups' visits to centers")
def list_visits(request: HttpRequest, filters: Query[VisitQuery]) -> dict:
    """Newest first, each with the counter sales attributed to it (sold at its center from its
    arrival to its window's end; the latest arrival takes a sale when windows overlap). Three
    queries whatever the page."""
    qs = visible_visits(request.user)
    if filters.center_id is not None:
        qs = qs.filter(center_id=filters.center_id)
    if filters.operator_id is not None:
        qs = qs.filter(operator_id=filters.operator_id)
    count, page = paginate(qs, filters.limit, filters.offset)
    sold = sv.sales_of_visits(page)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [visit_out(v, sold.get(v.pk, (0, 0))) for v in page],
    }


@router.post(
    "/visits",
    response={200: VisitScanOut, 201: VisitScanOut, **ERRORS_AUTH},
    summary="Scan a tour ticket at a center",
)
def scan_ticket(
    request: HttpRequest,
    payload: VisitScanIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    """The center's staff scan a ticket when the group arrives: 201 with the visit. The same
    `Idempotency-Key` and body answer 200 with the first answer; another body with it is 422.
    A second scan of the ticket at the center is **409 `already_checked_in`**; a tour that does not
    stop at the center 422 `other_center`; an unpaid booking 409 `not_paid`; a cancelled departure
    409 `cancelled`; another day's departure 422 `wrong_day`; an unknown code, or a center that is
    not the caller's, 404. Nothing is written when refused."""
    center = Center.objects.filter(pk=payload.center_id).first()
    if center is None or not permissions.can_check_in_at(request.user, center):
        raise NotFound(_("No such center among yours."), fields={"center_id": _("Does not exist.")})

    def work() -> tuple[int, Any]:
        ticket = services.visit_check_in(actor=request.user, center=center, code=payload.code)
        visit = sv.visits_of().get(pk=ticket.visit_id)
        answer = {
            "code": ticket.booking.code,
            "heads": ticket.heads,
            "at": ticket.at,
            "visit": visit_out(visit, sv.sales_of_visits([visit]).get(visit.pk, (0, 0))),
        }
        return 201, as_json(VisitScanOut, answer)

    status, answer = run_once(
        f"tour-visits:{request.user.pk}", idempotency_key, payload.model_dump(mode="json"), work
    )
    return Status(status, answer)
