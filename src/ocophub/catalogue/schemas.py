from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from ocophub.common.api import MAX_LIMIT, MAX_UNIT_CODE, SLUG, IsoDate, Page
from ocophub.places.schemas import CommuneOut

# offsets cost the rows skipped: deep pages are read by cursor
MAX_PRODUCT_OFFSET = 10_000

KindName = Literal["cooperative", "cooperative_group", "enterprise", "farm", "household", "association"]
StateName = Literal["active", "expiring", "expired", "revoked", "superseded"]


class TaxonomyOut(Schema):
    code: str
    name: str
    name_en: str
    level: str
    parent: str | None
    rule_set: str
    is_confirmed: bool


class CertificateOut(Schema):
    id: int
    product_id: int
    product: str
    stars: int
    state: StateName
    rule_set: str
    deciding_level: str
    total_score: Decimal | None
    score_a: Decimal | None
    score_b: Decimal | None
    score_c: Decimal | None
    decision_number: str
    decision_date: IsoDate
    issuer: str
    valid_until: IsoDate
    is_illustrative: bool


class CertificatePage(Page):
    items: list[CertificateOut]


class ProducerRef(Schema):
    id: int
    slug: str
    name: str


class ProducerOut(ProducerRef):
    kind: KindName
    kind_label: str
    registration_number: str | None
    representative: str
    address: str
    commune: CommuneOut
    craft_village: str | None
    phone: str
    email: str
    website: str
    story: str
    is_illustrative: bool
    source: str


class ProducerPage(Page):
    items: list[ProducerOut]


class ProductOut(Schema):
    id: int
    slug: str
    name: str
    status: Literal["draft", "submitted", "published", "archived"]
    producer: ProducerRef
    commune: CommuneOut
    craft_village: str | None
    group: str | None
    taxonomy: str | None
    list_price: int | None
    unit: str
    stars: int | None = Field(description="Stars of the valid certificate; null: no badge")
    certificate: CertificateOut | None
    photos: list[str]
    url: str
    trace_url: str


class ProductPage(Page):
    items: list[ProductOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the page after this one (any depth, same speed); null: last page"
    )
    suggestions: list[str] = Field(
        description="When nothing matches `q`: other spellings that do find products (did you mean …)"
    )


class CarrierRef(Schema):
    """A center that has the product in stock."""

    id: int
    slug: str
    name: str


class ProductDetail(ProductOut):
    description: str
    story: str
    materials: str
    packaging: str
    name_en: str
    unit_en: str
    description_en: str
    gtin: str | None
    is_illustrative: bool
    source: str
    carried_by: list[CarrierRef] = Field(
        default_factory=list, description="Public centers that have it in stock now"
    )


class ProducerIn(Schema):
    name: str = Field(min_length=2, max_length=200)
    kind: KindName
    registration_number: str | None = Field(None, max_length=30)
    representative: str = Field("", max_length=120)
    address: str = Field("", max_length=300)
    commune_code: StrictInt = Field(ge=1, le=999_999)
    commune_on: IsoDate | None = None
    craft_village: str | None = Field(None, max_length=140, pattern=SLUG)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    website: str = Field("", max_length=200)
    story: str = Field("", max_length=20000)


class ProducerPatch(Schema):
    name: str | None = Field(None, min_length=2, max_length=200)
    kind: KindName | None = None
    registration_number: str | None = Field(None, max_length=30)
    representative: str | None = Field(None, max_length=120)
    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)
    story: str | None = Field(None, max_length=20000)


class ProductIn(Schema):
    producer_id: StrictInt = Field(ge=1, le=2**62)
    name: str = Field(min_length=2, max_length=200)
    taxonomy: str | None = Field(None, max_length=80, description="Taxonomy node code")
    description: str = Field("", max_length=20000)
    story: str = Field("", max_length=20000)
    materials: str = Field("", max_length=5000)
    packaging: str = Field("", max_length=200)
    unit: str = Field("", max_length=40)
    name_en: str = Field("", max_length=200, description="The English site's name (Vietnamese when empty)")
    unit_en: str = Field("", max_length=40)
    description_en: str = Field("", max_length=20000)
    gtin: str | None = Field(None, max_length=14)
    list_price: StrictInt | None = Field(None, ge=0, le=10**12, description="Whole đồng")


class ProductPatch(Schema):
    name: str | None = Field(None, min_length=2, max_length=200)
    taxonomy: str | None = Field(None, max_length=80)
    description: str | None = Field(None, max_length=20000)
    story: str | None = Field(None, max_length=20000)
    materials: str | None = Field(None, max_length=5000)
    packaging: str | None = Field(None, max_length=200)
    unit: str | None = Field(None, max_length=40)
    name_en: str | None = Field(None, max_length=200)
    unit_en: str | None = Field(None, max_length=40)
    description_en: str | None = Field(None, max_length=20000)
    gtin: str | None = Field(None, max_length=14)
    list_price: StrictInt | None = Field(None, ge=0, le=10**12)


class ProductTransitionIn(Schema):
    to: Literal["draft", "submitted", "published", "archived"]
    reason: str = Field("", max_length=2000)


class CertificateIn(Schema):
    product_id: StrictInt = Field(ge=1, le=2**62)
    decision_number: str = Field(max_length=60)
    decision_date: IsoDate
    issuer: str = Field(max_length=200)
    deciding_level: Literal["commune", "district", "province", "central"]
    stars: StrictInt | None = Field(None, description="3–5; may be left out when the score is given")
    total_score: Decimal | None = Field(None, max_digits=5, decimal_places=2)
    score_a: Decimal | None = Field(None, max_digits=5, decimal_places=2)
    score_b: Decimal | None = Field(None, max_digits=5, decimal_places=2)
    score_c: Decimal | None = Field(None, max_digits=5, decimal_places=2)


class RevokeIn(Schema):
    reason: str = Field(max_length=2000)


class ProductQuery(Schema):
    q: str | None = Field(None, max_length=100)
    stars: list[Annotated[int, Field(ge=3, le=5)]] | None = None
    group: str | None = Field(None, max_length=80, pattern=SLUG, description="Taxonomy code at any level")
    district: int | None = Field(None, ge=1, le=MAX_UNIT_CODE)
    unit: int | None = Field(None, ge=1, le=MAX_UNIT_CODE)
    village: str | None = Field(None, max_length=140, pattern=SLUG)
    producer: str | None = Field(None, max_length=220, pattern=SLUG)
    price_min: int | None = Field(None, ge=0, le=10**12)
    price_max: int | None = Field(None, ge=0, le=10**12)
    in_stock: bool = Field(False, description="Only products a public center has in stock")
    center: str | None = Field(
        None, max_length=220, pattern=SLUG, description="Slug of a center holding it in stock"
    )
    sort: Literal["relevance", "name", "price", "-price", "newest", "stars"] = "relevance"
    limit: int = Field(24, ge=1, le=MAX_LIMIT)
    offset: int = Field(
        0, ge=0, le=MAX_PRODUCT_OFFSET, description="For the first pages; deeper pages follow `next_cursor`"
    )
    cursor: str | None = Field(None, max_length=400, description="`next_cursor` of the page before")
