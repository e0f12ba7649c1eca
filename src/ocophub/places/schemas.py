from typing import Literal

from ninja import Field, Schema
from pydantic import StrictInt

from ocophub.common.api import IsoDate, Page


class DistrictRef(Schema):
    code: int
    name: str


class DistrictOut(Schema):
    code: int
    code_display: str = Field(description="The national code, zero-padded (016 for Sóc Sơn)")
    name: str
    kind: Literal["quan", "huyen", "thi_xa", "thanh_pho"]
    kind_label: str
    in_plan_276: bool = Field(description="A huyện or thị xã: one of the 18 units of Plan 276/KH-UBND")
    valid_from: IsoDate | None
    valid_to: IsoDate | None


class DistrictPage(Page):
    items: list[DistrictOut]


class CommuneOut(Schema):
    code: int
    name: str
    era: Literal["legacy", "current"]
    division_type: str
    division_label: str
    district: DistrictRef | None
    valid_from: IsoDate | None
    valid_to: IsoDate | None


class CommunePage(Page):
    items: list[CommuneOut]


class SuccessionOut(Schema):
    unit: CommuneOut
    partly_merged: bool
    effective_date: IsoDate


class CommuneDetail(CommuneOut):
    successors: list[SuccessionOut] = Field(description="Units that took this unit's area at the next reform")
    current_units: list[SuccessionOut] = Field(description="Units in force today that cover this unit's area")
    predecessors: list[SuccessionOut] = Field(description="Units whose area this unit took")


class CraftOut(Schema):
    slug: str
    name: str
    name_en: str


class VillageOut(Schema):
    slug: str
    name: str
    commune: CommuneOut
    crafts: list[CraftOut]
    title: str
    title_label: str
    title_year: int | None
    description: str
    source: str


class VillagePage(Page):
    items: list[VillageOut]


class VillageIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    commune_code: StrictInt = Field(
        ge=1, le=999_999, description="Code of the commune in the three-tier system"
    )
    commune_on: IsoDate | None = Field(
        None, description="Date the commune code refers to (for dissolved communes)"
    )
    crafts: list[str] = Field(default_factory=list, max_length=20, description="Craft slugs")
    title: Literal["", "lang_nghe", "lang_nghe_truyen_thong", "nghe_truyen_thong"] = ""
    title_year: StrictInt | None = Field(None, ge=1900, le=2100)
    description: str = Field("", max_length=5000)
    source: str = Field(min_length=1, max_length=300)


class VillagePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    crafts: list[str] | None = Field(None, max_length=20)
    title: Literal["", "lang_nghe", "lang_nghe_truyen_thong", "nghe_truyen_thong"] | None = None
    title_year: StrictInt | None = Field(None, ge=1900, le=2100)
    description: str | None = Field(None, max_length=5000)
    source: str | None = Field(None, min_length=1, max_length=300)
