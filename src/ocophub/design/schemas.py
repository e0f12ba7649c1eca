"""Schemas of the design studio's API: requests, their moves, versions, files, comments, the portfolio.

Money is a whole number of đồng: inputs refuse floats and strings (StrictInt), outputs are integers.
"""

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from ocophub.catalogue.schemas import ProducerRef
from ocophub.common.api import IsoDate, IsoDateTime, Page
from ocophub.inventory.schemas import CenterRef, Day, Id

from .models import BRIEF_MAX_LENGTH, COMMENT_MAX_LENGTH, TITLE_MAX_LENGTH
from .services import MAX_PRICE

DesignMoney = Annotated[StrictInt, Field(ge=0, le=MAX_PRICE, description="Whole đồng")]
DesignKindName = Literal["packaging", "label", "brand", "form", "photography", "display"]
PayerName = Literal["producer", "subsidy", "shared"]
DesignStateName = Literal[
    "submitted",
    "accepted",
    "declined",
    "in_progress",
    "proposal_sent",
    "changes_requested",
    "approved",
    "delivered",
    "closed",
    "cancelled",
]
FileTypeName = Literal["jpeg", "png", "webp", "pdf", "svg", "ai", "psd"]
FileRoleName = Literal["reference", "proposal", "final"]
MAX_PRODUCTS = 50


class PersonRef(Schema):
    id: int
    name: str


class DesignProductRef(Schema):
    id: int
    slug: str
    name: str


class DesignRequestOut(Schema):
    id: int
    number: str
    title: str
    kind: DesignKindName
    kind_label: str
    state: DesignStateName
    state_label: str
    producer: ProducerRef
    center: CenterRef
    designer: PersonRef | None
    wished_on: IsoDate
    due_on: IsoDate | None
    budget: int
    price: int | None = Field(description="Agreed on acceptance")
    cost: int = Field(description="The price once agreed, the budget before")
    payer: PayerName
    subsidy_percent: int
    subsidy_amount: int = Field(description="The subsidy's part of the cost, in đồng (rounded down)")
    producer_amount: int = Field(description="The producer's part of the cost, in đồng")
    overdue: bool = Field(description="Past its due date with the work still owed")
    submitted_at: IsoDateTime


class DesignRequestPage(Page):
    items: list[DesignRequestOut]


class DesignFileOut(Schema):
    id: int
    role: FileRoleName
    name: str
    file_type: FileTypeName
    is_image: bool
    size: int = Field(description="Bytes")
    uploaded_at: IsoDateTime
    uploaded_by: str | None
    url: str = Field(description="Where to download the bytes (GET /api/v1/design/files/{id})")


class DesignVersionOut(Schema):
    number: int
    kind: Literal["proposal", "final"]
    note: str
    created_at: IsoDateTime
    created_by: str | None
    files: list[DesignFileOut]


class DesignEventOut(Schema):
    from_state: str
    to_state: str
    at: IsoDateTime
    reason: str
    actor: str | None
    detail: dict[str, Any] = Field(description="What the move decided: designer, due date, price, version…")


class DesignCommentOut(Schema):
    id: int
    author: str | None
    body: str
    version: int | None = Field(description="The version the comment is about")
    created_at: IsoDateTime


class DesignRequestDetail(DesignRequestOut):
    brief: str
    products: list[DesignProductRef]
    commitment_id: int | None
    decline_reason: str
    delivered_at: IsoDateTime | None
    terms_accepted_at: IsoDateTime | None
    portfolio_allowed: bool
    references: list[DesignFileOut]
    versions: list[DesignVersionOut]
    events: list[DesignEventOut]
    comments: list[DesignCommentOut]


class DesignRequestIn(Schema):
    producer_id: Id
    center_id: Id
    kind: DesignKindName
    title: str = Field(max_length=TITLE_MAX_LENGTH)
    product_ids: list[Id] = Field(max_length=MAX_PRODUCTS)
    brief: str = Field(max_length=BRIEF_MAX_LENGTH)
    wished_on: Day
    budget: DesignMoney
    payer: PayerName = "producer"
    subsidy_percent: StrictInt | None = Field(
        None, ge=0, le=100, description="The subsidy's share: 100 for a subsidy alone, 1–99 when shared"
    )
    commitment_id: Id | None = Field(None, description="The funding commitment a subsidy is drawn on")


class AcceptIn(Schema):
    designer_id: Id
    due_on: Day
    price: DesignMoney


class ReasonIn(Schema):
    reason: str = Field(max_length=COMMENT_MAX_LENGTH)


class ChangesIn(Schema):
    comment: str = Field(max_length=COMMENT_MAX_LENGTH)


class ApproveIn(Schema):
    accept_terms: StrictBool = Field(description="The producer accepts the usage terms (must be true)")
    portfolio_allowed: StrictBool = Field(description="The center may show the design in its portfolio")


class ReassignIn(Schema):
    designer_id: Id
    due_on: Day | None = None
    reason: str = Field("", max_length=COMMENT_MAX_LENGTH)


class CommentIn(Schema):
    body: str = Field(max_length=COMMENT_MAX_LENGTH)
    version: StrictInt | None = Field(None, ge=1, le=32767, description="The version's number")


class DesignCommentPage(Page):
    items: list[DesignCommentOut]


class PortfolioImage(Schema):
    id: int
    url: str


class PortfolioItem(Schema):
    id: int
    number: str
    title: str
    kind: DesignKindName
    kind_label: str
    producer: ProducerRef
    center: CenterRef
    delivered_at: IsoDateTime | None
    before: PortfolioImage | None
    after: PortfolioImage | None


class PortfolioPage(Page):
    items: list[PortfolioItem]
