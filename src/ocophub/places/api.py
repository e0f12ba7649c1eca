"""Places API: districts, communes across the 2025 reforms, craft villages."""

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from ocophub.common.api import (
    ERRORS_AUTH,
    ERRORS_PUBLIC,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_UNIT_CODE,
    IsoDate,
    paginate,
)
from ocophub.common.errors import DomainError, NotFound

from . import policy, selectors, services
from .models import AdministrativeUnit, Craft, CraftVillage, Era, RecognisedTitle
from .schemas import (
    CommuneDetail,
    CommunePage,
    CraftOut,
    DistrictOut,
    DistrictPage,
    VillageIn,
    VillageOut,
    VillagePage,
    VillagePatch,
)

# Mounted with the API's authentication (ocophub/api.py): places may not import accounts, which knows who
# is calling. Writes take it from the mount; the public reads say auth=None.
router = Router(tags=["places"])

Kind = Literal["quan", "huyen", "thi_xa"]


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DistrictQuery(PageQuery):
    kind: list[Kind] | None = Field(None, description="quận / huyện / thị xã; repeat for several")


class CommuneQuery(PageQuery):
    district: int | None = Field(None, ge=1, le=MAX_UNIT_CODE, description="Code of a pre-2025 district")
    era: Literal["legacy", "current"] | None = None
    date: IsoDate | None = Field(None, description="Only units in force on this day (YYYY-MM-DD)")
    q: str | None = Field(None, max_length=100, description="Name, matched without diacritics")


class CommuneLookup(Schema):
    era: Literal["legacy", "current"] | None = None
    date: IsoDate | None = None


class VillageQuery(PageQuery):
    q: str | None = Field(None, max_length=100)
    commune: int | None = Field(None, ge=1, le=MAX_UNIT_CODE)
    district: int | None = Field(None, ge=1, le=MAX_UNIT_CODE)
    craft: str | None = Field(None, max_length=120)


def _district_out(unit: AdministrativeUnit) -> dict:
    return {
        "code": unit.code,
        "code_display": unit.code_display,
        "name": unit.name,
        "kind": unit.division_type,
        "kind_label": str(unit.get_division_type_display()),
        "in_plan_276": unit.division_type in ("huyen", "thi_xa"),
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def commune_out(unit: AdministrativeUnit) -> dict:
    district = None
    if unit.era == Era.LEGACY and unit.parent is not None:  # today's units have no district
        district = {"code": unit.parent.code, "name": unit.parent.name}
    return {
        "code": unit.code,
        "name": unit.name,
        "era": unit.era,
        "division_type": unit.division_type,
        "division_label": str(unit.get_division_type_display()),
        "district": district,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def commune_from_code(code: int, on: dt.date | None = None) -> AdministrativeUnit:
    """The commune a write names by code (the most recent unless `on` says otherwise), or a 422."""
    commune = selectors.commune_by_code(code, on=on)
    if commune is None:
        raise DomainError(
            _("No commune or ward has this code."), fields={"commune_code": _("Does not exist.")}
        )
    return commune


def village_from_slug(value: str | None) -> CraftVillage | None:
    """The craft village a write names, None when it names none, or a 422."""
    if not value:
        return None
    village = CraftVillage.objects.filter(slug=value).first()
    if village is None:
        raise DomainError(_("No such craft village."), fields={"craft_village": _("Does not exist.")})
    return village


def _succession_out(step: selectors.Successor) -> dict:
    return {
        "unit": commune_out(step.unit),
        "partly_merged": step.partly_merged,
        "effective_date": step.effective_date,
    }


def village_out(village: CraftVillage) -> dict:
    return {
        "slug": village.slug,
        "name": village.name,
        "commune": commune_out(village.commune),
        "crafts": [{"slug": c.slug, "name": c.name, "name_en": c.name_en} for c in village.crafts.all()],
        "title": village.title,
        "title_label": str(RecognisedTitle(village.title).label) if village.title else "",
        "title_year": village.title_year,
        "description": village.description,
        "source": village.source,
    }


@router.get(
    "/districts",
    auth=None,
    response={200: DistrictPage, **ERRORS_PUBLIC},
    summary="District-level units before 2025",
)
def list_districts(request: HttpRequest, filters: Query[DistrictQuery]) -> dict:
    """The 30 district-level units of Hanoi (12 quận, 17 huyện, 1 thị xã) as they stood until 30/06/2025.

    Filter `kind=huyen&kind=thi_xa` for the 18 units of Plan 276/KH-UBND.
    """
    count, rows = paginate(selectors.districts(kinds=filters.kind), filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_district_out(u) for u in rows],
    }


@router.get(
    "/districts/{code}",
    auth=None,
    response={200: DistrictOut, **ERRORS_PUBLIC},
    summary="One pre-2025 district",
)
def get_district(request: HttpRequest, code: int = Path(..., ge=1, le=MAX_UNIT_CODE)) -> dict:
    unit = selectors.district_by_code(code)
    if unit is None:
        raise Http404
    return _district_out(unit)


@router.get(
    "/communes", auth=None, response={200: CommunePage, **ERRORS_PUBLIC}, summary="Commune-level units"
)
def list_communes(request: HttpRequest, filters: Query[CommuneQuery]) -> dict:
    """Communes and wards of both systems. `q` ignores diacritics: `duong lam` finds Đường Lâm."""
    qs = selectors.communes(era=filters.era, on=filters.date, district=filters.district, q=filters.q)
    count, rows = paginate(qs, filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [commune_out(u) for u in rows],
    }


@router.get(
    "/communes/{code}",
    auth=None,
    response={200: CommuneDetail, **ERRORS_PUBLIC},
    summary="One commune, old or new",
)
def get_commune(
    request: HttpRequest, lookup: Query[CommuneLookup], code: int = Path(..., ge=1, le=MAX_UNIT_CODE)
) -> dict:
    """A commune with its successors and predecessors across the 2025 reforms.

    A code can name different units in different eras; without `era` or `date`, the most recent unit
    that bore the code is returned.
    """
    unit = selectors.commune_by_code(code, era=lookup.era, on=lookup.date)
    if unit is None:
        raise Http404
    return {
        **commune_out(unit),
        "successors": [_succession_out(s) for s in selectors.successors(unit)],
        "current_units": [_succession_out(s) for s in selectors.current_units_covering(unit)]
        if unit.era == Era.LEGACY
        else [],
        "predecessors": [_succession_out(s) for s in selectors.predecessors(unit)],
    }


@router.get("/crafts", auth=None, response={200: list[CraftOut]}, summary="Crafts")
def list_crafts(request: HttpRequest) -> list[Craft]:
    return list(Craft.objects.order_by("name"))


@router.get("/villages", auth=None, response={200: VillagePage, **ERRORS_PUBLIC}, summary="Craft villages")
def list_villages(request: HttpRequest, filters: Query[VillageQuery]) -> dict:
    qs = selectors.villages(
        q=filters.q, commune=filters.commune, district=filters.district, craft=filters.craft
    )
    count, rows = paginate(qs, filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [village_out(v) for v in rows],
    }


@router.get(
    "/villages/{slug}", auth=None, response={200: VillageOut, **ERRORS_PUBLIC}, summary="One craft village"
)
def get_village(request: HttpRequest, slug: str = Path(..., max_length=140)) -> dict:
    village = selectors.village_by_slug(slug)
    if village is None:
        raise Http404
    return village_out(village)


def _crafts(slugs: list[str]) -> list[Craft]:
    found = {craft.slug: craft for craft in Craft.objects.filter(slug__in=slugs)}
    unknown = [value for value in slugs if value not in found]
    if unknown:
        raise DomainError(
            _("No such craft."), fields={"crafts": _("Unknown crafts: %s") % ", ".join(unknown)}
        )
    return [found[value] for value in slugs]


@router.post("/villages", response={201: VillageOut, **ERRORS_AUTH}, summary="Add a craft village")
def create_village(request: HttpRequest, payload: VillageIn) -> Status:
    """City administrators anywhere; unit officers in the communes of their units."""
    commune = (
        selectors.communes(era=Era.LEGACY, on=payload.commune_on).filter(code=payload.commune_code).first()
    )
    if commune is None:
        raise DomainError(
            _("No commune or ward has this code."), fields={"commune_code": _("Does not exist.")}
        )
    if not policy.current.can_edit_craft_villages_in(request.user, commune):
        raise NotFound(_("This commune is not among your units."))
    village = services.craft_village_save(
        actor=request.user,
        village=None,
        name=payload.name,
        commune=commune,
        crafts=_crafts(payload.crafts),
        title=payload.title,
        title_year=payload.title_year,
        description=payload.description,
        source=payload.source,
    )
    saved = selectors.village_by_slug(village.slug)
    assert saved is not None, "the village was just saved"
    return Status(201, village_out(saved))


@router.patch("/villages/{slug}", response={200: VillageOut, **ERRORS_AUTH}, summary="Edit a village")
def update_village(
    request: HttpRequest, payload: VillagePatch, slug: str = Path(..., max_length=140)
) -> dict:
    village = selectors.village_by_slug(slug)
    # outside the officer's units the village is reported missing, as for any object out of scope
    if village is None or not policy.current.can_edit_craft_village(request.user, village):
        raise Http404
    data = payload.dict(exclude_unset=True)
    services.craft_village_save(
        actor=request.user,
        village=village,
        name=data.get("name") or village.name,
        commune=village.commune,
        crafts=_crafts(data["crafts"]) if data.get("crafts") is not None else list(village.crafts.all()),
        title=data["title"] if data.get("title") is not None else village.title,
        title_year=data.get("title_year", village.title_year),
        description=data["description"] if data.get("description") is not None else village.description,
        source=data.get("source") or village.source,
    )
    saved = selectors.village_by_slug(slug)
    assert saved is not None, "the village was just saved"
    return village_out(saved)
