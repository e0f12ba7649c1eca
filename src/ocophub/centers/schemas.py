from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from ocophub.common.api import ClockTime, IsoDate, IsoDateTime, Page
from ocophub.places.schemas import CommuneOut, CraftOut

StatusName = Literal[
    "proposed", "planned", "under_construction", "recognised", "operating", "suspended", "closed"
]
SpaceName = Literal["display_sale", "transactions", "demonstration", "photo"]
Area = Annotated[Decimal, Field(ge=0, le=Decimal("999999.9"), max_digits=7, decimal_places=1)]


class SpaceOut(Schema):
    kind: SpaceName
    label: str
    area_m2: Decimal


class HoursOut(Schema):
    weekday: int
    opens: ClockTime
    closes: ClockTime


class CenterPhotoOut(Schema):
    url: str
    caption: str


class RecognitionOut(Schema):
    decision_number: str
    decision_date: IsoDate
    issuer: str
    score: Decimal | None
    band: str
    source: str


class RequirementOut(Schema):
    code: str
    label: str
    ok: bool | None
    detail: str


class StaffOut(Schema):
    name: str
    role: str


class CenterOut(Schema):
    id: int
    slug: str
    name: str
    status: StatusName
    status_label: str
    status_since: IsoDate | None
    commune: CommuneOut
    current_units: list[CommuneOut] = Field(
        description="Units in force today that cover the center's commune"
    )
    unit_2025: CommuneOut | None = Field(
        description="The one unit in force since 01/07/2025 the site lies in; null while unknown"
    )
    craft_village: str | None
    crafts: list[CraftOut]
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    floor_area_m2: Decimal | None
    is_illustrative: bool
    source: str


class CenterPage(Page):
    items: list[CenterOut]


class CenterDetail(CenterOut):
    operating_entity: str
    contact_name: str
    contact_phone: str
    contact_email: str
    website: str
    description: str
    spaces: list[SpaceOut]
    hours: list[HoursOut]
    photos: list[CenterPhotoOut]
    recognitions: list[RecognitionOut]
    requirements: list[RequirementOut]
    allowed_transitions: list[StatusName] = Field(description="Moves the caller may make now")
    staff: list[StaffOut] = Field(description="Managers, staff and designers (for those who run the center)")


class CenterIn(Schema):
    name: str = Field(min_length=2, max_length=200)
    commune_code: StrictInt = Field(
        ge=1, le=999_999, description="Commune code (three-tier system, or a post-2025 unit)"
    )
    commune_on: IsoDate | None = Field(None, description="The day the commune code refers to")
    craft_village: str | None = Field(None, max_length=140, description="Craft village slug")
    crafts: list[str] = Field(default_factory=list, max_length=20)
    address: str = Field("", max_length=300)
    latitude: Decimal | None = Field(
        None, ge=Decimal("20.5"), le=Decimal("21.5"), max_digits=9, decimal_places=6
    )
    longitude: Decimal | None = Field(
        None, ge=Decimal("105.2"), le=Decimal("106.1"), max_digits=9, decimal_places=6
    )
    floor_area_m2: Decimal | None = Field(None, ge=0, le=Decimal("9999999"), max_digits=9, decimal_places=1)
    spaces: dict[SpaceName, Area] = Field(default_factory=dict, description="Area in m² per functional space")
    operating_entity: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=120)
    contact_phone: str = Field("", max_length=30)
    contact_email: str = Field("", max_length=254)
    website: str = Field("", max_length=200)
    description: str = Field("", max_length=10000)
    source: str = Field("", max_length=400)
    effective_on: IsoDate | None = Field(None, description="Day the center was proposed (today by default)")


class CenterPatch(Schema):
    name: str | None = Field(None, min_length=2, max_length=200)
    crafts: list[str] | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=300)
    latitude: Decimal | None = Field(
        None, ge=Decimal("20.5"), le=Decimal("21.5"), max_digits=9, decimal_places=6
    )
    longitude: Decimal | None = Field(
        None, ge=Decimal("105.2"), le=Decimal("106.1"), max_digits=9, decimal_places=6
    )
    floor_area_m2: Decimal | None = Field(None, ge=0, le=Decimal("9999999"), max_digits=9, decimal_places=1)
    spaces: dict[SpaceName, Area] | None = None
    operating_entity: str | None = Field(None, max_length=200)
    contact_name: str | None = Field(None, max_length=120)
    contact_phone: str | None = Field(None, max_length=30)
    contact_email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=10000)
    source: str | None = Field(None, max_length=400)


class RecognitionIn(Schema):
    decision_number: str = Field(max_length=60)
    decision_date: IsoDate
    issuer: str = Field(max_length=200)
    score: Decimal | None = Field(None, max_digits=5, decimal_places=2)
    source: str = Field("", max_length=400)


class CenterTransitionIn(Schema):
    to: StatusName
    reason: str = Field("", max_length=2000)
    effective_on: IsoDate | None = None
    recognition: RecognitionIn | None = None


class EventOut(Schema):
    from_state: str
    to_state: str
    effective_on: IsoDate
    at: IsoDateTime
    reason: str
    actor: str | None


class HoursIn(Schema):
    hours: list[HoursOut] = Field(max_length=50)


class CriterionOut(Schema):
    code: str
    name: str
    space: str
    max_points: Decimal
    is_confirmed: bool
    source: str


class ScoreSheetIn(Schema):
    assessed_on: IsoDate
    scores: dict[str, Decimal] = Field(description="Points per criterion code")
    notes: str = Field("", max_length=5000)


class ScoreSheetOut(Schema):
    id: int
    assessed_on: IsoDate
    total: Decimal
    scores: dict[str, Decimal]
    notes: str
