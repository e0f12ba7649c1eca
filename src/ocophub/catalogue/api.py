"""Catalogue API: products, producers, OCOP certificates and the taxonomy."""

import hashlib
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Status, UploadedFile
from ninja.errors import AuthorizationError

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH, PUBLIC_AUTH
from ocophub.common.api import (
    ERRORS_AUTH,
    ERRORS_PUBLIC,
    MAX_ID,
    paginate,
)
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError, NotFound
from ocophub.places.api import commune_from_code, village_from_slug
from ocophub.places.models import Era

from . import cursors, results, search, selectors, services
from .api_shapes import (
    CataloguePhotoOut,
    CertificateQuery,
    ProducerQuery,
    SuggestQuery,
    TaxonomyQuery,
    certificate_out,
    filters_from,
    producer_out,
    product_detail,
    product_out,
)
from .models import Certificate, Producer, Product, TaxonomyNode
from .schemas import (
    CertificateIn,
    CertificateOut,
    CertificatePage,
    ProducerIn,
    ProducerOut,
    ProducerPage,
    ProducerPatch,
    ProductDetail,
    ProductIn,
    ProductPage,
    ProductPatch,
    ProductQuery,
    ProductTransitionIn,
    RevokeIn,
    TaxonomyOut,
)

router = Router(tags=["catalogue"], auth=PUBLIC_AUTH)


ITEMS_CACHE_SECONDS = 10 * 60


def _items(request: HttpRequest, ids: list[int], version: tuple[str, int] | None) -> list[dict[str, Any]]:
    """The list's items in the page's order. For the public (who see the published products alone) a
    page's items are kept in the cache under the catalogue's version (every write to a product, its
    producer, photos or certificates bumps it), the day (the stars follow the clock) and the page's
    ids: a page asked again is one cache read instead of its products and their relations (and one
    cache write when it is not there, whatever the page's size)."""
    if not ids or version is None or not selectors.sees_only_published(request.user):
        return [product_out(p) for p in selectors.in_order(ids)]
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]
    key = f"catalogue:items:{version[0]}:{version[1]}:{local_today().isoformat()}:{digest}"
    items: list[dict[str, Any]] | None = cache.get(key)
    if items is None:
        items = [product_out(p) for p in selectors.in_order(ids)]
        cache.set(key, items, ITEMS_CACHE_SECONDS)
    return items


@router.get("/products", response={200: ProductPage, **ERRORS_PUBLIC}, summary="Products")
def list_products(request: HttpRequest, filters: Query[ProductQuery]) -> dict:
    """Published products (and those of the producers you manage). `q` ignores diacritics: a product
    matches when every word matches a word of it — exactly, the last word as a prefix, within a typo
    budget (1 edit from 5 letters, 2 from 9) or as two words typed together; ranked by phrase, all
    words exact, prefixes, typos (README, "Search"). `count` counts every match; pages deeper than
    `offset` allows follow `next_cursor`."""
    query = filters_from(filters)
    version = selectors.catalogue_version()
    asked = {"limit": filters.limit, "offset": filters.offset, "cursor": filters.cursor or ""}
    page = results.cached(
        "api", request.user, query, version, asked, lambda: _search_page(request.user, query, filters)
    )
    return {
        "count": page["count"],
        "limit": filters.limit,
        "offset": filters.offset,
        "items": _items(request, page["ids"], version),
        "next_cursor": page["next_cursor"],
        "suggestions": page["suggestions"],
    }


def _search_page(user: Any, query: selectors.Filters, filters: ProductQuery) -> dict[str, Any]:
    """The page's ids, the count of every match, the next page's cursor and, when nothing matched, the
    "did you mean" suggestions: ranked and counted in SQL."""
    found = selectors.product_search(user, query)
    rows_after = found.ordered
    if filters.cursor:
        if filters.offset:
            raise DomainError(
                _("Give either a cursor or an offset, not both."), fields={"offset": _("Not with a cursor.")}
            )
        rows_after = selectors.after(found, cursors.read(filters.cursor, query, len(found.keys)))
    elif filters.offset:
        rows_after = rows_after[filters.offset :]
    ids, keys = selectors.keyed_ids(found, rows_after, filters.limit + 1)
    more, ids = len(ids) > filters.limit, ids[: filters.limit]
    count = found.matches.count()
    return {
        "count": count,
        "ids": ids,
        "next_cursor": cursors.make(query, keys[len(ids) - 1]) if more else None,
        "suggestions": found.suggestions() if not count else [],
    }


@router.get("/products/suggest", response={200: list[str], **ERRORS_PUBLIC}, summary="Search suggestions")
def suggest_products(request: HttpRequest, query: Query[SuggestQuery]) -> list[str]:
    return search.suggest(query.q)


def _product(request: HttpRequest, product_id: int) -> Product:
    product = selectors.with_details(selectors.visible_products(request.user).filter(pk=product_id)).first()
    if product is None:
        raise Http404
    return product


@router.get("/products/{product_id}", response={200: ProductDetail, **ERRORS_PUBLIC}, summary="One product")
def get_product(request: HttpRequest, product_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    return product_detail(_product(request, product_id))


def _taxonomy(code: str | None) -> TaxonomyNode | None:
    if not code:
        return None
    node = TaxonomyNode.objects.filter(code=code).first()
    if node is None:
        raise DomainError(_("No such product group."), fields={"taxonomy": _("Does not exist.")})
    return node


@router.post(
    "/products", auth=API_AUTH, response={201: ProductDetail, **ERRORS_AUTH}, summary="Add a product"
)
def create_product(request: HttpRequest, payload: ProductIn) -> Status:
    """Producer members for their producer, unit officers for producers of their units, the city."""
    producer = selectors.editable_producers(request.user).filter(pk=payload.producer_id).first()
    if producer is None:
        raise NotFound(_("No such producer among yours."), fields={"producer_id": _("Does not exist.")})
    data = payload.dict(exclude={"producer_id", "taxonomy"})
    product = services.product_save(
        actor=request.user, producer=producer, taxonomy=_taxonomy(payload.taxonomy), **data
    )
    return Status(201, product_detail(_product(request, product.pk)))


def _editable_product(request: HttpRequest, product_id: int) -> Product:
    product = (
        Product.objects.filter(pk=product_id, producer__in=selectors.editable_producers(request.user))
        .select_related("producer")
        .first()
    )
    if product is None:
        raise Http404
    return product


@router.patch(
    "/products/{product_id}",
    auth=API_AUTH,
    response={200: ProductDetail, **ERRORS_AUTH},
    summary="Edit a product",
)
def update_product(
    request: HttpRequest, payload: ProductPatch, product_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    product = _editable_product(request, product_id)
    data = payload.dict(exclude_unset=True)
    if "taxonomy" in data:
        data["taxonomy"] = _taxonomy(data["taxonomy"])
    data = {
        k: (
            ""
            if v is None
            and k
            in {
                "description",
                "story",
                "materials",
                "packaging",
                "unit",
                "name_en",
                "unit_en",
                "description_en",
            }
            else v
        )
        for k, v in data.items()
    }
    if data.get("name") is None:
        data.pop("name", None)
    services.product_save(actor=request.user, product=product, **data)
    return product_detail(_product(request, product_id))


@router.post(
    "/products/{product_id}/transitions",
    auth=API_AUTH,
    response={200: ProductDetail, **ERRORS_AUTH},
    summary="Submit, publish, send back or archive a product",
    description=(
        "A producer's members submit (and withdraw) and archive; publishing is for the unit's officers "
        "and the city."
    ),
)
def transition_product(
    request: HttpRequest, payload: ProductTransitionIn, product_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    product = _editable_product(request, product_id)
    if not permissions.can_move_product(request.user, product, payload.to):
        raise AuthorizationError
    services.product_transition(actor=request.user, product=product, to=payload.to, reason=payload.reason)
    return product_detail(_product(request, product_id))


@router.post(
    "/products/{product_id}/photos",
    auth=API_AUTH,
    response={201: CataloguePhotoOut, **ERRORS_AUTH},
    summary="Add a product photo",
)
def add_product_photo(
    request: HttpRequest,
    product_id: int = Path(..., ge=1, le=MAX_ID),
    image: UploadedFile = File(...),
    caption: str = Form("", max_length=200),
) -> Status:
    product = _editable_product(request, product_id)
    photo = services.product_photo_add(actor=request.user, product=product, image=image, caption=caption)
    return Status(201, {"url": photo.image.url, "caption": photo.caption})


# --- producers ------------------------------------------------------------------------------


@router.get("/producers", response={200: ProducerPage, **ERRORS_PUBLIC}, summary="Producers")
def list_producers(request: HttpRequest, filters: Query[ProducerQuery]) -> dict:
    from ocophub.common.text import fold

    qs = Producer.objects.select_related("commune__parent", "craft_village").order_by("folded_name", "pk")
    if filters.q:
        qs = qs.filter(folded_name__contains=fold(filters.q))
    if filters.district is not None:
        qs = qs.filter(commune__parent__code=filters.district, commune__era=Era.LEGACY)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    count, rows = paginate(qs, filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [producer_out(p) for p in rows],
    }


@router.get("/producers/{producer_id}", response={200: ProducerOut, **ERRORS_PUBLIC}, summary="One producer")
def get_producer(request: HttpRequest, producer_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    producer = (
        Producer.objects.select_related("commune__parent", "craft_village").filter(pk=producer_id).first()
    )
    if producer is None:
        raise Http404
    return producer_out(producer)


@router.post(
    "/producers", auth=API_AUTH, response={201: ProducerOut, **ERRORS_AUTH}, summary="Add a producer"
)
def create_producer(request: HttpRequest, payload: ProducerIn) -> Status:
    commune = commune_from_code(payload.commune_code, payload.commune_on)
    if not permissions.can_create_producer_in(request.user, commune):
        raise NotFound(_("This commune is not among your units."))
    village = village_from_slug(payload.craft_village)
    data = payload.dict(exclude={"commune_code", "commune_on", "craft_village"})
    producer = services.producer_save(actor=request.user, commune=commune, craft_village=village, **data)
    return Status(201, producer_out(producer))


@router.patch(
    "/producers/{producer_id}",
    auth=API_AUTH,
    response={200: ProducerOut, **ERRORS_AUTH},
    summary="Edit a producer",
)
def update_producer(
    request: HttpRequest, payload: ProducerPatch, producer_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    producer = selectors.editable_producers(request.user).filter(pk=producer_id).first()
    if producer is None:
        raise Http404
    data = {
        k: ("" if v is None and k != "registration_number" else v)
        for k, v in payload.dict(exclude_unset=True).items()
    }
    if not data.get("name"):
        data.pop("name", None)
    if not data.get("kind"):
        data.pop("kind", None)
    producer = services.producer_save(actor=request.user, producer=producer, **data)
    return producer_out(
        Producer.objects.select_related("commune__parent", "craft_village").get(pk=producer.pk)
    )


@router.post(
    "/producers/{producer_id}/photos",
    auth=API_AUTH,
    response={201: CataloguePhotoOut, **ERRORS_AUTH},
    summary="Add a producer photo",
)
def add_producer_photo(
    request: HttpRequest,
    producer_id: int = Path(..., ge=1, le=MAX_ID),
    image: UploadedFile = File(...),
    caption: str = Form("", max_length=200),
) -> Status:
    producer = selectors.editable_producers(request.user).filter(pk=producer_id).first()
    if producer is None:
        raise Http404
    photo = services.producer_photo_add(actor=request.user, producer=producer, image=image, caption=caption)
    return Status(201, {"url": photo.image.url, "caption": photo.caption})


# --- certificates ---------------------------------------------------------------------------


@router.get("/certificates", response={200: CertificatePage, **ERRORS_PUBLIC}, summary="OCOP certificates")
def list_certificates(request: HttpRequest, filters: Query[CertificateQuery]) -> dict:
    """Certificates of the products you may see; `expiring_within=30` lists those ending within 30 days."""
    day = local_today()
    if filters.expiring_within is not None:
        qs = selectors.certificates_expiring(request.user, filters.expiring_within, day)
    else:
        qs = (
            Certificate.objects.filter(product__in=selectors.visible_products(request.user))
            .select_related("product", "rule_set")
            .order_by("-decision_date", "-pk")
        )
    if filters.product is not None:
        qs = qs.filter(product_id=filters.product)
    rows = (
        [c for c in qs if filters.state is None or c.state_on(day) == filters.state]
        if filters.state
        else None
    )
    if rows is not None:
        count, page = len(rows), rows[filters.offset : filters.offset + filters.limit]
    else:
        count, page = paginate(qs, filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [certificate_out(c, day) for c in page],
    }


@router.post(
    "/certificates",
    auth=API_AUTH,
    response={201: CertificateOut, **ERRORS_AUTH},
    summary="Record an OCOP certificate",
)
def create_certificate(request: HttpRequest, payload: CertificateIn) -> Status:
    product = Product.objects.select_related("producer__commune").filter(pk=payload.product_id).first()
    if product is None or not permissions.can_manage_certificates(request.user, product.producer):
        raise NotFound(_("No such product among yours."), fields={"product_id": _("Does not exist.")})
    certificate = services.certificate_issue(
        actor=request.user, product=product, **payload.dict(exclude={"product_id"})
    )
    return Status(201, certificate_out(certificate))


@router.post(
    "/certificates/{certificate_id}/revoke",
    auth=API_AUTH,
    response={200: CertificateOut, **ERRORS_AUTH},
    summary="Revoke a certificate",
)
def revoke_certificate(
    request: HttpRequest, payload: RevokeIn, certificate_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    certificate = (
        Certificate.objects.select_related("product__producer__commune", "rule_set")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or not permissions.can_manage_certificates(
        request.user, certificate.product.producer
    ):
        raise Http404
    return certificate_out(
        services.certificate_revoke(actor=request.user, certificate=certificate, reason=payload.reason)
    )


@router.get("/taxonomy", response={200: list[TaxonomyOut], **ERRORS_PUBLIC}, summary="OCOP product taxonomy")
def list_taxonomy(request: HttpRequest, filters: Query[TaxonomyQuery]) -> list[dict]:
    nodes = TaxonomyNode.objects.filter(rule_set__code=filters.rule_set).select_related("parent", "rule_set")
    return [
        {
            "code": n.code,
            "name": n.name,
            "name_en": n.name_en,
            "level": n.level,
            "parent": parent.code if (parent := n.parent) else None,
            "rule_set": n.rule_set.code,
            "is_confirmed": n.is_confirmed,
        }
        for n in nodes.order_by("position")
    ]
