"""Centers API: the network's centers, their life-cycle, hours, photos and score sheets."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH, PUBLIC_AUTH
from ocophub.common.api import (
    ERRORS_AUTH,
    ERRORS_PUBLIC,
    MAX_ID,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_UNIT_CODE,
    paginate,
)
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError, NotFound
from ocophub.places import selectors as places
from ocophub.places.api import commune_from_code, commune_out, village_from_slug
from ocophub.places.models import Craft

from . import selectors, services
from .models import TRANSITIONS, Center, CenterEvent, SpaceKind
from .models import Status as CenterStatus
from .schemas import (
    CenterDetail,
    CenterIn,
    CenterPage,
    CenterPatch,
    CenterPhotoOut,
    CenterTransitionIn,
    CriterionOut,
    EventOut,
    HoursIn,
    ScoreSheetIn,
    ScoreSheetOut,
    StatusName,
)

router = Router(tags=["centers"], auth=PUBLIC_AUTH)


class CenterQuery(Schema):
    status: list[StatusName] | None = Field(None, description="Repeat for several")
    district: int | None = Field(None, ge=1, le=MAX_UNIT_CODE, description="Pre-2025 district code")
    unit: int | None = Field(
        None, ge=1, le=MAX_UNIT_CODE, description="Code of a unit in force from 01/07/2025"
    )
    craft: str | None = Field(None, max_length=120)
    q: str | None = Field(None, max_length=100)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def center_out(center: Center, current: list | None = None) -> dict[str, Any]:
    if current is None:
        current = [step.unit for step in places.current_units_covering(center.commune)]
    return {
        "id": center.pk,
        "slug": center.slug,
        "name": center.name,
        "status": center.status,
        "status_label": str(CenterStatus(center.status).label),
        "status_since": center.status_since,
        "commune": commune_out(center.commune),
        "current_units": [commune_out(unit) for unit in current],
        "unit_2025": commune_out(center.unit_2025) if center.unit_2025 is not None else None,
        "craft_village": village.name if (village := center.craft_village) else None,
        "crafts": [{"slug": c.slug, "name": c.name, "name_en": c.name_en} for c in center.crafts.all()],
        "address": center.address,
        "latitude": center.latitude,
        "longitude": center.longitude,
        "floor_area_m2": center.floor_area_m2,
        "is_illustrative": center.is_illustrative,
        "source": center.source,
    }


def _visible(request: HttpRequest, center_id: int) -> Center:
    center = selectors.with_details(Center.objects.filter(pk=center_id)).first()
    if center is None or not permissions.can_view_center(request.user, center):
        raise Http404
    return center


def center_detail(request: HttpRequest, center: Center) -> dict[str, Any]:
    user = request.user
    may_move = permissions.can_edit_center_record(user, center)
    return {
        **center_out(center),
        "operating_entity": center.operating_entity,
        "contact_name": center.contact_name,
        "contact_phone": center.contact_phone,
        "contact_email": center.contact_email,
        "website": center.website,
        "description": center.description,
        "spaces": [
            {"kind": s.kind, "label": str(SpaceKind(s.kind).label), "area_m2": s.area_m2}
            for s in center.spaces.all()
        ],
        "hours": [{"weekday": h.weekday, "opens": h.opens, "closes": h.closes} for h in center.hours.all()],
        "photos": [{"url": p.image.url, "caption": p.caption} for p in center.photos.all()],
        "recognitions": [
            {
                "decision_number": r.decision_number,
                "decision_date": r.decision_date,
                "issuer": r.issuer,
                "score": r.score,
                "band": r.band,
                "source": r.source,
            }
            for r in center.recognitions.all()
        ],
        "requirements": [r.__dict__ for r in selectors.requirements(center)],
        "allowed_transitions": list(TRANSITIONS[center.status]) if may_move else [],
        "staff": [{"name": name, "role": role} for name, role in selectors.staff_of(center)]
        if permissions.can_edit_center(user, center)
        else [],
    }


def _crafts(slugs: list[str]) -> list[Craft]:
    found = {craft.slug: craft for craft in Craft.objects.filter(slug__in=slugs)}
    unknown = [value for value in slugs if value not in found]
    if unknown:
        raise DomainError(
            _("No such craft."), fields={"crafts": _("Unknown crafts: %s") % ", ".join(unknown)}
        )
    return [found[value] for value in slugs]


@router.get("", response={200: CenterPage, **ERRORS_PUBLIC}, summary="Centers")
def list_centers(request: HttpRequest, filters: Query[CenterQuery]) -> dict:
    """Recognised and operating centers for everyone; planned ones too for those who work on them."""
    qs = selectors.center_list(
        request.user,
        status=filters.status,
        district=filters.district,
        unit=filters.unit,
        craft=filters.craft,
        q=filters.q,
    )
    count, rows = paginate(qs, filters.limit, filters.offset)
    current = places.current_units_for([center.commune for center in rows])
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [center_out(center, current.get(center.commune_id, [])) for center in rows],
    }


@router.get("/criteria", response={200: list[CriterionOut]}, summary="Recognition criteria")
def list_criteria(request: HttpRequest) -> list:
    return selectors.criteria()


@router.get("/{center_id}", response={200: CenterDetail, **ERRORS_PUBLIC}, summary="One center")
def get_center(request: HttpRequest, center_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    return center_detail(request, _visible(request, center_id))


@router.post("", auth=API_AUTH, response={201: CenterDetail, **ERRORS_AUTH}, summary="Register a center")
def create_center(request: HttpRequest, payload: CenterIn) -> Status:
    """City administrators anywhere; unit officers in their units. A new center is "proposed"."""
    commune = commune_from_code(payload.commune_code, payload.commune_on)
    if not permissions.can_create_center_in(request.user, commune):
        raise NotFound(_("This commune is not among your units."))
    village = village_from_slug(payload.craft_village)
    data = payload.dict(
        exclude={"commune_code", "commune_on", "craft_village", "crafts", "spaces", "effective_on"}
    )
    if payload.effective_on is not None and payload.effective_on > local_today():
        raise DomainError(
            _("The date cannot be in the future."), fields={"effective_on": _("In the future.")}
        )
    center = services.center_create(
        actor=request.user,
        commune=commune,
        craft_village=village,
        crafts=_crafts(payload.crafts),
        spaces={str(name): value for name, value in payload.spaces.items()},
        effective_on=payload.effective_on,
        **data,
    )
    return Status(201, center_detail(request, _visible(request, center.pk)))


@router.patch(
    "/{center_id}", auth=API_AUTH, response={200: CenterDetail, **ERRORS_AUTH}, summary="Edit a center"
)
def update_center(
    request: HttpRequest, payload: CenterPatch, center_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The city and the unit officers edit everything; a center's manager its profile and spaces."""
    center = Center.objects.select_related("commune").filter(pk=center_id).first()
    if center is None or not permissions.can_edit_center(request.user, center):
        raise Http404
    allowed = services.PROFILE_FIELDS
    if not permissions.can_edit_center_record(request.user, center):
        allowed = services.MANAGER_FIELDS
    data = payload.dict(exclude_unset=True)
    crafts = data.pop("crafts", None)
    spaces = data.pop("spaces", None)
    if allowed is services.MANAGER_FIELDS:
        refused = [name for name, value in (("crafts", crafts), ("spaces", spaces)) if value is not None]
        if refused:
            raise DomainError(
                _("You may not change these fields."), fields={n: _("Not allowed.") for n in refused}
            )
    data = {
        k: ("" if v is None and k not in ("latitude", "longitude", "floor_area_m2", "name") else v)
        for k, v in data.items()
    }
    if data.get("name") is None:
        data.pop("name", None)
    services.center_update(
        actor=request.user,
        center=center,
        crafts=_crafts(crafts) if crafts is not None else None,
        spaces=spaces,
        allowed=allowed,
        **data,
    )
    return center_detail(request, _visible(request, center_id))


@router.post(
    "/{center_id}/transitions",
    auth=API_AUTH,
    response={200: CenterDetail, **ERRORS_AUTH},
    summary="Move a center along its life-cycle",
)
def transition_center(
    request: HttpRequest, payload: CenterTransitionIn, center_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """proposed → planned → under construction → recognised → operating ⇄ suspended → closed.

    Recognition needs `recognition` with the decision's number, date and issuer. Moves outside the map
    are refused with 422 and change nothing.
    """
    center = Center.objects.select_related("commune").filter(pk=center_id).first()
    if center is None or not permissions.can_edit_center_record(request.user, center):
        raise Http404
    recognition = None
    if payload.recognition is not None:
        recognition = services.RecognitionInput(**payload.recognition.dict())
    services.center_transition(
        actor=request.user,
        center=center,
        to=payload.to,
        reason=payload.reason,
        effective_on=payload.effective_on,
        recognition=recognition,
    )
    return center_detail(request, _visible(request, center_id))


@router.get("/{center_id}/events", response={200: list[EventOut], **ERRORS_PUBLIC}, summary="Status history")
def list_events(request: HttpRequest, center_id: int = Path(..., ge=1, le=MAX_ID)) -> list[dict]:
    center = _visible(request, center_id)
    events = (
        CenterEvent.objects.filter(center=center).select_related("actor").order_by("-effective_on", "-pk")
    )
    show_actor = permissions.can_edit_center_record(request.user, center)
    return [
        {
            "from_state": e.from_state,
            "to_state": e.to_state,
            "effective_on": e.effective_on,
            "at": e.at,
            "reason": e.reason,
            "actor": str(e.actor) if e.actor and show_actor else None,
        }
        for e in events
    ]


@router.put(
    "/{center_id}/hours", auth=API_AUTH, response={200: CenterDetail, **ERRORS_AUTH}, summary="Set hours"
)
def set_hours(request: HttpRequest, payload: HoursIn, center_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    center = Center.objects.select_related("commune").filter(pk=center_id).first()
    if center is None or not permissions.can_edit_center(request.user, center):
        raise Http404
    services.center_hours_set(
        actor=request.user, center=center, hours=[(h.weekday, h.opens, h.closes) for h in payload.hours]
    )
    return center_detail(request, _visible(request, center_id))


@router.post(
    "/{center_id}/photos", auth=API_AUTH, response={201: CenterPhotoOut, **ERRORS_AUTH}, summary="Add a photo"
)
def add_photo(
    request: HttpRequest,
    center_id: int = Path(..., ge=1, le=MAX_ID),
    image: UploadedFile = File(...),
    caption: str = Form("", max_length=200),
) -> Status:
    center = Center.objects.select_related("commune").filter(pk=center_id).first()
    if center is None or not permissions.can_edit_center(request.user, center):
        raise Http404
    photo = services.center_photo_add(actor=request.user, center=center, image=image, caption=caption)
    return Status(201, {"url": photo.image.url, "caption": photo.caption})


def _sheet_out(sheet: Any) -> dict:
    scores = {score.criterion.code: score.points for score in sheet.scores.all()}
    return {
        "id": sheet.pk,
        "assessed_on": sheet.assessed_on,
        "total": sheet.total,
        "scores": scores,
        "notes": sheet.notes,
    }


@router.get(
    "/{center_id}/score-sheets",
    auth=API_AUTH,
    response={200: list[ScoreSheetOut], **ERRORS_AUTH},
    summary="Recognition score sheets",
)
def list_score_sheets(request: HttpRequest, center_id: int = Path(..., ge=1, le=MAX_ID)) -> list[dict]:
    center = Center.objects.select_related("commune").filter(pk=center_id).first()
    if center is None or not (
        permissions.can_edit_center_record(request.user, center)
        or permissions.can_view_city_overview(request.user)
    ):
        raise Http404
    sheets = center.score_sheets.prefetch_related("scores__criterion")
    return [_sheet_out(sheet) for sheet in sheets]


@router.post(
    "/{center_id}/score-sheets",
    auth=API_AUTH,
    response={201: ScoreSheetOut, **ERRORS_AUTH},
    summary="Record a score sheet",
)
def create_score_sheet(
    request: HttpRequest, payload: ScoreSheetIn, center_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    center = Center.objects.select_related("commune").filter(pk=center_id).first()
    if center is None or not permissions.can_edit_center_record(request.user, center):
        raise Http404
    sheet = services.score_sheet_record(
        actor=request.user,
        center=center,
        assessed_on=payload.assessed_on,
        scores=payload.scores,
        notes=payload.notes,
    )
    return Status(201, _sheet_out(sheet))
