"""The catalogue API's shapes: products, producers and certificates as JSON, and its query parameters."""

import datetime as dt
from typing import Any, Literal

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from ocophub.common.api import MAX_ID, MAX_LIMIT, MAX_OFFSET, MAX_UNIT_CODE
from ocophub.common.dates import local_today
from ocophub.places.api import commune_out

from . import selectors
from .models import Certificate, Producer, ProducerKind, Product


def certificate_out(certificate: Certificate, day: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": certificate.pk,
        "product_id": certificate.product_id,
        "product": certificate.product.name,
        "stars": certificate.stars,
        "state": certificate.state_on(day or local_today()),
        "rule_set": certificate.rule_set.code,
        "deciding_level": certificate.deciding_level,
        "total_score": certificate.total_score,
        "score_a": certificate.score_a,
        "score_b": certificate.score_b,
        "score_c": certificate.score_c,
        "decision_number": certificate.decision_number,
        "decision_date": certificate.decision_date,
        "issuer": certificate.issuer,
        "valid_until": certificate.valid_until,
        "is_illustrative": certificate.is_illustrative,
    }


def producer_ref(producer: Producer) -> dict[str, Any]:
    return {"id": producer.pk, "slug": producer.slug, "name": producer.name}


def producer_out(producer: Producer) -> dict[str, Any]:
    return {
        **producer_ref(producer),
        "kind": producer.kind,
        "kind_label": str(ProducerKind(producer.kind).label),
        "registration_number": producer.registration_number,
        "representative": producer.representative,
        "address": producer.address,
        "commune": commune_out(producer.commune),
        "craft_village": village.name if (village := producer.craft_village) else None,
        "phone": producer.phone,
        "email": producer.email,
        "website": producer.website,
        "story": producer.story,
        "is_illustrative": producer.is_illustrative,
        "source": producer.source,
    }


def product_out(product: Product) -> dict[str, Any]:
    certificate = selectors.badge(product)
    producer = product.producer
    node = product.taxonomy
    return {
        "id": product.pk,
        "slug": product.slug,
        "name": product.name,
        "status": product.status,
        "producer": producer_ref(producer),
        "commune": commune_out(producer.commune),
        "craft_village": village.name if (village := producer.craft_village) else None,
        "group": node.group.name if node else None,
        "taxonomy": node.name if node else None,
        "list_price": product.list_price,
        "unit": product.unit,
        "stars": certificate.stars if certificate else None,
        "certificate": certificate_out(certificate) if certificate else None,
        "photos": [photo.image.url for photo in product.photos.all()],
        "url": reverse("catalogue:product", args=[product.slug]),
        "trace_url": reverse("catalogue:trace", args=[product.slug]),
    }


def product_detail(product: Product) -> dict[str, Any]:
    return {
        **product_out(product),
        "description": product.description,
        "story": product.story,
        "materials": product.materials,
        "name_en": product.name_en,
        "unit_en": product.unit_en,
        "description_en": product.description_en,
        "packaging": product.packaging,
        "gtin": product.gtin,
        "is_illustrative": product.is_illustrative,
        "source": product.source,
        "carried_by": [
            {"id": center.pk, "slug": center.slug, "name": center.name}
            for center in (
                selectors.CARRIERS[0]([product.pk]).get(product.pk, []) if selectors.CARRIERS else []
            )
        ],
    }


def filters_from(query: Any) -> selectors.Filters:
    return selectors.Filters(
        q=query.q or "",
        stars=list(query.stars or []),
        group=query.group or "",
        district=query.district,
        unit=query.unit,
        village=query.village or "",
        producer=query.producer or "",
        price_min=query.price_min,
        price_max=query.price_max,
        in_stock=query.in_stock,
        center=query.center or "",
        sort=query.sort,
    )


class SuggestQuery(Schema):
    q: str = Field("", max_length=100)


class CataloguePhotoOut(Schema):
    url: str
    caption: str


class ProducerQuery(Schema):
    q: str | None = Field(None, max_length=100)
    district: int | None = Field(None, ge=1, le=MAX_UNIT_CODE)
    kind: (
        Literal["cooperative", "cooperative_group", "enterprise", "farm", "household", "association"] | None
    ) = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class CertificateQuery(Schema):
    product: int | None = Field(None, ge=1, le=MAX_ID)
    state: Literal["active", "expiring", "expired", "revoked", "superseded"] | None = None
    expiring_within: int | None = Field(None, ge=1, le=366, description="Days")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class TaxonomyQuery(Schema):
    rule_set: Literal["1048", "148"] = "148"
