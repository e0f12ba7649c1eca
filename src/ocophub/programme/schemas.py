from typing import Literal

from ninja import Field, Schema
from pydantic import StrictInt

from ocophub.common.api import IsoDate, Page

StateName = Literal["met", "on_track", "behind", "missed", "no_target", "not_started"]
SourceName = Literal[
    "state_city",
    "state_district",
    "state_commune",
    "social_enterprise",
    "social_organisation",
    "social_individual",
    "aid_domestic",
    "aid_foreign",
    "other",
]


class UnitRef(Schema):
    code: int
    code_display: str
    name: str


class TargetOut(Schema):
    id: int
    label: str
    area: UnitRef | None
    min_centers: int
    max_centers: int | None
    starts_on: IsoDate
    due_on: IsoDate
    counts_from: IsoDate | None
    source: str


class PlanOut(Schema):
    code: str
    number: str
    title: str
    issued_on: IsoDate
    issuer: str
    summary: str
    source: str
    units: list[UnitRef]
    targets: list[TargetOut]


class TargetProgressOut(Schema):
    target: TargetOut
    counted: int = Field(description="Centers recognised or operating that count towards the target")
    pipeline: int = Field(description="Centers planned or under construction")
    state: StateName
    centers: list[str]


class UnitProgressOut(Schema):
    unit: UnitRef
    target: int | None = Field(description="Centers the unit's targets ask for in all")
    counted: int
    pipeline: int
    state: StateName
    by_status: dict[str, int]
    targets: list[TargetProgressOut]


class ProgressOut(Schema):
    plan: str
    date: IsoDate
    units: list[UnitProgressOut]
    city_targets: list[TargetProgressOut]
    units_without_center: list[UnitRef]
    totals: dict[str, dict[str, int]] = Field(description="Centers by status and units by state, city-wide")


class DisbursementOut(Schema):
    id: int
    amount: int
    disbursed_on: IsoDate
    document: str
    over_commitment: bool
    override_reason: str
    is_illustrative: bool


class CommitmentOut(Schema):
    id: int
    center_id: int
    center: str
    source: SourceName
    source_label: str
    funder: str
    amount: int
    committed_on: IsoDate
    document: str
    disbursed: int
    is_illustrative: bool


class CommitmentDetail(CommitmentOut):
    notes: str
    disbursements: list[DisbursementOut]


class CommitmentPage(Page):
    items: list[CommitmentOut]


class CommitmentIn(Schema):
    center_id: StrictInt = Field(ge=1, le=2**62)
    source: SourceName
    funder: str = Field("", max_length=200)
    amount: StrictInt = Field(gt=0, le=10**15, description="Whole đồng")
    committed_on: IsoDate
    document: str = Field(min_length=1, max_length=200)
    notes: str = Field("", max_length=5000)


class DisbursementIn(Schema):
    amount: StrictInt = Field(gt=0, le=10**15, description="Whole đồng")
    disbursed_on: IsoDate
    document: str = Field(min_length=1, max_length=200)
    notes: str = Field("", max_length=5000)
    override_reason: str = Field("", max_length=2000, description="Required to pay above the commitment")


class FundingRowOut(Schema):
    key: str
    label: str
    committed: int
    disbursed: int
    outstanding: int


class FundingTotalsOut(Schema):
    by: str
    rows: list[FundingRowOut]
    committed: int
    disbursed: int
