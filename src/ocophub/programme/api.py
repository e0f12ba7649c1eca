"""Plan tracker API: plans, progress by unit, funding of centers by source."""

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH, PUBLIC_AUTH
from ocophub.centers.models import Center
from ocophub.common.api import (
    ERRORS_AUTH,
    ERRORS_PUBLIC,
    MAX_ID,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_UNIT_CODE,
    IsoDate,
    paginate,
)
from ocophub.common.dates import local_today
from ocophub.common.errors import NotFound
from ocophub.places import selectors as places
from ocophub.places.models import AdministrativeUnit

from . import selectors, services
from .models import Commitment, FundingSource, Plan, Target
from .schemas import (
    CommitmentDetail,
    CommitmentIn,
    CommitmentPage,
    DisbursementIn,
    FundingTotalsOut,
    PlanOut,
    ProgressOut,
    SourceName,
)

router = Router(tags=["plans"], auth=PUBLIC_AUTH)
funding_router = Router(tags=["funding"], auth=API_AUTH)


def unit_ref(unit: AdministrativeUnit) -> dict:
    return {"code": unit.code, "code_display": unit.code_display, "name": unit.name}


def target_out(target: Target) -> dict:
    return {
        "id": target.pk,
        "label": target.label,
        "area": unit_ref(target.area) if target.area is not None else None,
        "min_centers": target.min_centers,
        "max_centers": target.max_centers,
        "starts_on": target.starts_on,
        "due_on": target.due_on,
        "counts_from": target.counts_from,
        "source": target.source,
    }


def plan_out(plan: Plan) -> dict:
    return {
        "code": plan.code,
        "number": plan.number,
        "title": plan.title,
        "issued_on": plan.issued_on,
        "issuer": plan.issuer,
        "summary": plan.summary,
        "source": plan.source,
        "units": [unit_ref(u) for u in sorted(plan.units.all(), key=lambda u: u.code)],
        "targets": [target_out(t) for t in plan.targets.all()],
    }


def _plans() -> Any:
    return selectors.plans().prefetch_related("targets__area")


@router.get("/plans", response={200: list[PlanOut]}, summary="Plans")
def list_plans(request: HttpRequest) -> list[dict]:
    return [plan_out(plan) for plan in _plans()]


@router.get("/plans/{code}", response={200: PlanOut, **ERRORS_PUBLIC}, summary="One plan")
def get_plan(request: HttpRequest, code: str = Path(..., max_length=40)) -> dict:
    plan = _plans().filter(code=code).first()
    if plan is None:
        raise Http404
    return plan_out(plan)


class ProgressQuery(Schema):
    date: IsoDate | None = Field(None, description="Evaluate on this day (YYYY-MM-DD); today by default")


def progress_out(progress: selectors.Progress, user: Any) -> dict:
    public_only = not permissions.can_view_city_overview(user)

    def names(rows: list[selectors.CenterAt]) -> list[str]:
        return [
            r.center.name for r in rows if not public_only or r.center.status in ("recognised", "operating")
        ]

    def tp_out(tp: selectors.TargetProgress) -> dict:
        return {
            "target": target_out(tp.target),
            "counted": tp.counted,
            "pipeline": tp.pipeline,
            "state": tp.state,
            "centers": names(tp.centers),
        }

    return {
        "plan": progress.plan.code,
        "date": progress.on,
        "units": [
            {
                "unit": unit_ref(row.unit),
                "target": sum(tp.target.min_centers for tp in row.targets) or None,
                "counted": row.counted,
                "pipeline": row.pipeline,
                "state": row.state,
                "by_status": row.by_status,
                "targets": [tp_out(tp) for tp in row.targets],
            }
            for row in progress.units
        ],
        "city_targets": [tp_out(tp) for tp in progress.city_targets],
        "units_without_center": [unit_ref(u) for u in progress.units_without_center],
        "totals": {"centers_by_status": progress.by_status, "units_by_state": progress.by_state},
    }


@router.get(
    "/plans/{code}/progress", response={200: ProgressOut, **ERRORS_PUBLIC}, summary="Progress of a plan"
)
def plan_progress(
    request: HttpRequest, filters: Query[ProgressQuery], code: str = Path(..., max_length=40)
) -> dict:
    """One row per unit of the plan: its targets started by `date`, centers counted, and the state.

    States: met, on_track (planned or building centers would meet it), behind, missed (due date reached
    without it), no_target (nothing asked of the unit yet).
    """
    plan = selectors.plan_by_code(code)
    if plan is None:
        raise Http404
    return progress_out(selectors.progress(plan, filters.date or local_today()), request.user)


# --- funding --------------------------------------------------------------------------------


class CommitmentQuery(Schema):
    center: int | None = Field(None, ge=1, le=MAX_ID)
    source: SourceName | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    district: int | None = Field(None, ge=1, le=MAX_UNIT_CODE)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def commitment_out(commitment: Commitment, disbursed: int) -> dict:
    return {
        "id": commitment.pk,
        "center_id": commitment.center_id,
        "center": commitment.center.name,
        "source": commitment.source,
        "source_label": str(FundingSource(commitment.source).label),
        "funder": commitment.funder,
        "amount": commitment.amount,
        "committed_on": commitment.committed_on,
        "document": commitment.document,
        "disbursed": disbursed,
        "is_illustrative": commitment.is_illustrative,
    }


def commitment_detail(commitment: Commitment) -> dict:
    disbursements = list(commitment.disbursements.order_by("disbursed_on", "pk"))
    return {
        **commitment_out(commitment, sum(d.amount for d in disbursements)),
        "notes": commitment.notes,
        "disbursements": [
            {
                "id": d.pk,
                "amount": d.amount,
                "disbursed_on": d.disbursed_on,
                "document": d.document,
                "over_commitment": d.over_commitment,
                "override_reason": d.override_reason,
                "is_illustrative": d.is_illustrative,
            }
            for d in disbursements
        ],
    }


def _filtered(user: Any, filters: Any) -> Any:
    qs = selectors.visible_commitments(user)
    if filters.center is not None:
        qs = qs.filter(center_id=filters.center)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.year is not None:
        qs = qs.filter(committed_on__year=filters.year)
    if filters.district is not None:
        district = places.district_by_code(filters.district)
        qs = qs.filter(places.units_q({district.pk} if district else set(), prefix="center__commune"))
    return qs


@funding_router.get(
    "/commitments", response={200: CommitmentPage, **ERRORS_AUTH}, summary="Funding commitments"
)
def list_commitments(request: HttpRequest, filters: Query[CommitmentQuery]) -> dict:
    """Every row for the city and the tourism department; unit officers see those of their units."""
    count, rows = paginate(
        _filtered(request.user, filters).order_by("-committed_on", "-pk"), filters.limit, filters.offset
    )
    paid = selectors.disbursed_by_commitment(rows)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [commitment_out(c, paid.get(c.pk, 0)) for c in rows],
    }


@funding_router.post(
    "/commitments", response={201: CommitmentDetail, **ERRORS_AUTH}, summary="Record a commitment"
)
def create_commitment(request: HttpRequest, payload: CommitmentIn) -> Status:
    center = Center.objects.select_related("commune").filter(pk=payload.center_id).first()
    if center is None or not permissions.can_edit_funding(request.user, center):
        raise NotFound(_("No such center among yours."), fields={"center_id": _("Does not exist.")})
    commitment = services.commitment_create(
        actor=request.user,
        center=center,
        source=payload.source,
        amount=payload.amount,
        committed_on=payload.committed_on,
        document=payload.document,
        funder=payload.funder,
        notes=payload.notes,
    )
    return Status(201, commitment_detail(commitment))


def _commitment(request: HttpRequest, commitment_id: int, *, edit: bool = False) -> Commitment:
    commitment = selectors.visible_commitments(request.user).filter(pk=commitment_id).first()
    if commitment is None or (edit and not permissions.can_edit_funding(request.user, commitment.center)):
        raise Http404
    return commitment


@funding_router.get(
    "/commitments/{commitment_id}",
    response={200: CommitmentDetail, **ERRORS_AUTH},
    summary="One commitment with its disbursements",
)
def get_commitment(request: HttpRequest, commitment_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    return commitment_detail(_commitment(request, commitment_id))


@funding_router.post(
    "/commitments/{commitment_id}/disbursements",
    response={201: CommitmentDetail, **ERRORS_AUTH},
    summary="Record a disbursement",
)
def create_disbursement(
    request: HttpRequest, payload: DisbursementIn, commitment_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    """Paying above the commitment needs `override_reason`; the override is recorded with its author."""
    commitment = _commitment(request, commitment_id, edit=True)
    services.disbursement_create(
        actor=request.user,
        commitment=commitment,
        amount=payload.amount,
        disbursed_on=payload.disbursed_on,
        document=payload.document,
        notes=payload.notes,
        override_reason=payload.override_reason,
    )
    return Status(201, commitment_detail(_commitment(request, commitment_id)))


class TotalsQuery(Schema):
    by: Literal["source", "group", "district", "year", "center"] = "source"
    year: int | None = Field(None, ge=2000, le=2100)


@funding_router.get("/totals", response={200: FundingTotalsOut, **ERRORS_AUTH}, summary="Funding totals")
def funding_totals(request: HttpRequest, filters: Query[TotalsQuery]) -> dict:
    """Committed and disbursed đồng by source, source group, old district, year or center."""
    qs = selectors.visible_commitments(request.user)
    if filters.year is not None:
        qs = qs.filter(committed_on__year=filters.year)
    rows = selectors.funding_totals(qs, filters.by)
    return {
        "by": filters.by,
        "rows": [{**r.__dict__, "outstanding": r.outstanding} for r in rows],
        "committed": sum(r.committed for r in rows),
        "disbursed": sum(r.disbursed for r in rows),
    }
