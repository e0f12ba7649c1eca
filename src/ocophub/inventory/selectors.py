"""Reads of agreements and stock shared by pages, the API, reports and the catalogue hooks."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.catalogue.models import Product
from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common.dates import local_today

from .models import Agreement, AgreementState, Movement, Stock


def stock_centers(user: Any) -> QuerySet[Center]:
    """Centers whose stock the user may see: the city sees every one, center people their own."""
    if permissions.can_view_city_overview(user):
        return Center.objects.all()
    ids = permissions.scope_ids(user, Role.CENTER_MANAGER, Role.CENTER_STAFF)
    return Center.objects.filter(pk__in=ids)


def visible_agreements(user: Any) -> QuerySet[Agreement]:
    if permissions.can_view_city_overview(user):
        qs = Agreement.objects.all()
    else:
        q = Q(center__in=stock_centers(user)) | Q(
            producer_id__in=permissions.scope_ids(user, Role.PRODUCER_MEMBER)
        )
        qs = Agreement.objects.filter(q)
    return qs.select_related("producer", "center")


def visible_stock(user: Any) -> QuerySet[Stock]:
    """Stock rows of the user's centers, and a producer's own goods at every center."""
    if permissions.can_view_city_overview(user):
        qs = Stock.objects.all()
    else:
        q = Q(center__in=stock_centers(user)) | Q(
            producer_id__in=permissions.scope_ids(user, Role.PRODUCER_MEMBER)
        )
        qs = Stock.objects.filter(q)
    return qs.select_related("center", "lot", "product__producer", "product__taxonomy")


def stock_list(qs: QuerySet[Stock], *, with_empty: bool = False) -> QuerySet[Stock]:
    if not with_empty:
        qs = qs.filter(on_hand__gt=0)
    return qs.order_by(
        "center__name", "product__folded_name", F("lot__expires_on").asc(nulls_last=True), "pk"
    )


def available_at(center_id: int, product_ids: list[int]) -> dict[int, int]:
    """Sellable quantity (not held, not expired) of each product at one center."""
    day = local_today()
    rows = (
        Stock.objects.filter(center_id=center_id, product_id__in=product_ids)
        .filter(Q(lot__expires_on__isnull=True) | Q(lot__expires_on__gte=day))
        .values("product_id")
        .annotate(n=Sum(F("on_hand") - F("reserved")))
    )
    return {row["product_id"]: int(row["n"] or 0) for row in rows}


def available_of(product_id: int, center_ids: list[int]) -> dict[int, int]:
    """Sellable quantity (not held, not expired) of one product at each of `center_ids`: one query."""
    day = local_today()
    rows = (
        Stock.objects.filter(product_id=product_id, center_id__in=center_ids)
        .filter(Q(lot__expires_on__isnull=True) | Q(lot__expires_on__gte=day))
        .values("center_id")
        .annotate(n=Sum(F("on_hand") - F("reserved")))
    )
    return {row["center_id"]: int(row["n"] or 0) for row in rows}


def _sellable(day: Any) -> QuerySet[Stock]:
    return Stock.objects.filter(on_hand__gt=F("reserved")).filter(
        Q(lot__expires_on__isnull=True) | Q(lot__expires_on__gte=day)
    )


def carriers(product_ids: list[int]) -> dict[int, list[Center]]:
    """Public centers holding sellable stock of each product (two queries whatever the count)."""
    pairs = set(
        _sellable(local_today())
        .filter(product_id__in=product_ids, center__status__in=PUBLIC_STATUSES)
        .values_list("product_id", "center_id")
    )
    centers = {c.pk: c for c in Center.objects.filter(pk__in={c for _p, c in pairs}).order_by("name")}
    result: dict[int, list[Center]] = defaultdict(list)
    for product_id, center_id in sorted(pairs, key=lambda pair: centers[pair[1]].name):
        result[product_id].append(centers[center_id])
    return dict(result)


def in_stock(qs: QuerySet[Product], center_slug: str | None = None) -> QuerySet[Product]:
    """Products with sellable stock at a public center (at the given center when there is one)."""
    stock = _sellable(local_today()).filter(product=OuterRef("pk"), center__status__in=PUBLIC_STATUSES)
    if center_slug:
        stock = stock.filter(center__slug=center_slug)
    return qs.filter(Exists(stock))


def stock_centers_public() -> list[Center]:
    """Public centers that hold any sellable stock: the catalogue's center facet."""
    # each public center asks for its first sellable row (the stock's center index), instead of one
    # pass over every stock row of the city
    sellable = _sellable(local_today()).filter(center=OuterRef("pk"))
    centers = Center.objects.filter(Exists(sellable), status__in=PUBLIC_STATUSES).order_by("name")
    return list(centers.only("pk", "slug", "name"))  # the options' values and labels


CENTER_GOODS_PAGE = 12


def center_goods(user: Any, center: Center, query: Any) -> dict[str, Any]:
    """A page of the published products with sellable stock at `center`, for its public page.

    The products are found by an EXISTS on the center's stock rows and paged in SQL: the page reads
    one page of products (and their photos and certificates), never the center's stock rows.
    """
    from django.core.paginator import Paginator

    from ocophub.catalogue import selectors as catalogue
    from ocophub.catalogue.models import ProductStatus

    products = in_stock(Product.objects.filter(status=ProductStatus.PUBLISHED), center.slug)
    page = Paginator(
        catalogue.with_details(products).order_by("folded_name", "pk"), CENTER_GOODS_PAGE
    ).get_page(query.get("page"))
    rest = query.copy()
    rest.pop("page", None)
    return {
        "page": page,
        "products": [(product, catalogue.badge(product)) for product in page],
        "query_string": rest.urlencode(),
    }


def ocop_goods_share(center: Center) -> Decimal | None:
    """Share of the goods on the center's shelves (by units on hand) that carry a valid OCOP certificate."""
    from ocophub.catalogue.selectors import certified_product_ids

    rows = list(Stock.objects.filter(center=center, on_hand__gt=0).values_list("product_id", "on_hand"))
    total = sum(n for _p, n in rows)
    if not total:
        return None
    certified = certified_product_ids({p for p, _n in rows})
    return Decimal(sum(n for p, n in rows if p in certified)) / Decimal(total)


def ledger_totals(stock_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = (
        Movement.objects.filter(stock_id__in=stock_ids)
        .values("stock_id")
        .annotate(on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta"))
    )
    return {row["stock_id"]: (int(row["on_hand"] or 0), int(row["reserved"] or 0)) for row in rows}


def stock_value_by_producer(qs: QuerySet[Stock]) -> list[dict[str, Any]]:
    """Units on hand and their value at list price, per producer, largest value first."""
    rows = (
        qs.filter(on_hand__gt=0)
        .values("producer_id", "producer__name")
        .annotate(units=Sum("on_hand"), value=Sum(F("on_hand") * F("product__list_price")))
        .order_by("-value", "producer__name")
    )
    return [
        {"producer": r["producer__name"], "units": int(r["units"] or 0), "value": int(r["value"] or 0)}
        for r in rows
    ]


def active_agreements_of(center: Center) -> QuerySet[Agreement]:
    day = local_today()
    return (
        Agreement.objects.filter(center=center, state=AgreementState.ACTIVE, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("producer")
    )
