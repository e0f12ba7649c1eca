"""Reads of the catalogue shared by pages and the API. Lists run a fixed number of queries."""

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import OrderBy

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.common.dates import local_today
from ocophub.common.text import search_terms
from ocophub.places import selectors as places
from ocophub.places.models import AdministrativeUnit, CraftVillage, Era, Level

from . import search
from .models import (
    STARS_SORT_KEY,
    CatalogueVersion,
    Certificate,
    Producer,
    Product,
    ProductStatus,
    TaxonomyNode,
)

# Stock (an app above the catalogue) fills these in: which centers carry a product, the products in
# stock (at one center when a slug is given) and the centers holding any. Without them the "center"
# and "in stock" facets are not offered.
CARRIERS: list[Callable[[list[int]], dict[int, list[Any]]]] = []
IN_STOCK: list[Callable[[QuerySet[Product], str | None], QuerySet[Product]]] = []
STOCK_CENTERS: list[Callable[[], list[Any]]] = []
# Template names that apps above the catalogue include in the product page's "where to buy" section, so
# that the catalogue can offer a buy button, designs and tours without importing those apps. The page's
# panels are rendered once for every viewer and kept in the cache for a minute (product_page.py): they
# see `product` and `carriers` only, and hold no form. Live panels (the shop's buy panel: stock changes
# with every sale, and its forms carry the viewer's CSRF token) are rendered on every request.
PRODUCT_PANELS: list[str] = []
PRODUCT_LIVE_PANELS: list[str] = []
# Sections that apps above the catalogue (events: the village's workshops) add to a craft village's
# page: a template name and a function (viewer, village, the page's query) → the template's `panel`.
VILLAGE_PANELS: list[tuple[str, Callable[[Any, CraftVillage, Any], dict[str, Any]]]] = []


def _valid_certificates(day: dt.date) -> QuerySet[Certificate]:
    return Certificate.objects.filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=day),
        superseded_by__isnull=True,
        valid_until__gte=day,
        decision_date__lte=day,
    )


def valid_certificates(day: dt.date) -> QuerySet[Certificate]:
    """The certificates valid on `day`: not revoked by then, not superseded, decided and not expired."""
    return _valid_certificates(day)


def certified_product_ids(product_ids: set[int], day: dt.date | None = None) -> set[int]:
    """Those of the products that hold a valid OCOP certificate on `day`."""
    day = day or local_today()
    return set(
        _valid_certificates(day).filter(product_id__in=product_ids).values_list("product_id", flat=True)
    )


def _in_units_q(unit_ids: set[int], prefix: str) -> Q:
    return places.units_q(unit_ids, prefix)


def editable_producers(user: Any) -> QuerySet[Producer]:
    if permissions.is_city_admin(user):
        return Producer.objects.all()
    q = Q(pk__in=permissions.scope_ids(user, Role.PRODUCER_MEMBER))
    units = permissions.officer_unit_ids(user)
    if units:
        q |= _in_units_q(units, "commune")
    return Producer.objects.filter(q)


def reviewable_producers(user: Any) -> QuerySet[Producer]:
    """Producers whose products the user decides on: every one for the city, the units' for an officer."""
    if permissions.is_city_admin(user):
        return Producer.objects.all()
    units = permissions.officer_unit_ids(user)
    if not units:
        return Producer.objects.none()
    return Producer.objects.filter(_in_units_q(units, "commune"))


def review_queue(user: Any) -> QuerySet[Product]:
    """Products awaiting review that the user decides on, the longest waiting first."""
    return (
        Product.objects.filter(status=ProductStatus.SUBMITTED, producer__in=reviewable_producers(user))
        .select_related("producer", "producer__commune", "taxonomy")
        .order_by("updated_at", "id")
    )


def visible_products(user: Any) -> QuerySet[Product]:
    """The public sees published products; those who manage a producer see all of its products."""
    if permissions.is_city_admin(user) or permissions.is_tourism_department(user):
        return Product.objects.all()
    q = Q(status=ProductStatus.PUBLISHED)
    if permissions.scope_ids(user, Role.PRODUCER_MEMBER) or permissions.officer_unit_ids(user):
        q |= Q(producer__in=editable_producers(user))
    return Product.objects.filter(q)


def with_details(qs: QuerySet[Product], day: dt.date | None = None) -> QuerySet[Product]:
    day = day or local_today()
    return qs.select_related(
        "producer__commune__parent", "producer__craft_village", "taxonomy__parent__parent"
    ).prefetch_related(
        "photos",
        Prefetch(
            "certificates",
            queryset=_valid_certificates(day).select_related("rule_set").order_by("-decision_date"),
            to_attr="valid_certificates",
        ),
    )


def badge(product: Product) -> Certificate | None:
    """The certificate whose stars the product may show: a valid one, or none (no badge)."""
    certificates = getattr(product, "valid_certificates", None)
    if certificates is None:
        certificates = list(
            _valid_certificates(local_today()).filter(product=product).order_by("-decision_date")
        )
    return certificates[0] if certificates else None


@dataclass
class Filters:
    q: str = ""
    stars: list[int] = field(default_factory=list)
    group: str = ""
    district: int | None = None
    unit: int | None = None
    village: str = ""
    producer: str = ""
    price_min: int | None = None
    price_max: int | None = None
    in_stock: bool = False
    center: str = ""
    sort: str = "relevance"


SORTS = {"relevance", "name", "price", "-price", "newest", "stars"}


@dataclass
class Found:
    """The products a list shows: `matches` (every match, unordered: count and facet it) and `ordered`
    (the same in the list's order, with `keys` the fields of that order for a keyset cursor)."""

    matches: QuerySet[Product]
    ordered: QuerySet[Product]
    keys: list["Key"]
    plan: search.Plan | None
    among: QuerySet[Product]  # the filters alone, before the text query

    def suggestions(self) -> list[str]:
        """When the text query finds nothing: respellings that find something under the same filters."""
        return search.did_you_mean(" ".join(t.word for t in self.plan.terms), self.among) if self.plan else []


@dataclass(frozen=True)
class Key:
    """One field of a list order."""

    name: str
    descending: bool = False
    nullable: bool = False  # its nulls come last, on both databases
    source: str = ""  # for an expression of a field (null as 0): the field a listed row holds

    def expression(self) -> OrderBy:
        # NULLS LAST only where nulls can be: elsewhere it would keep the databases from reading the
        # order straight from its index
        nulls_last = True if self.nullable else None
        field = F(self.name)
        return field.desc(nulls_last=nulls_last) if self.descending else field.asc(nulls_last=nulls_last)


# each order and the fields that make it total
ORDERS = {
    "name": [Key("folded_name"), Key("pk")],
    "price": [Key("list_price", nullable=True), Key("pk")],
    "-price": [Key("list_price", descending=True, nullable=True), Key("pk")],
    "newest": [Key("created_at", descending=True), Key("pk", descending=True)],
    "stars": [Key("stars_key", descending=True, source="current_stars"), Key("folded_name"), Key("pk")],
    "relevance": [Key(search.TIER, descending=True), Key(search.LENGTH), Key("pk")],
}


def product_search(user: Any, filters: Filters) -> Found:
    """Products matching the filters and the text query (`search.contract`), counted and ordered in SQL."""
    day = local_today()
    qs = visible_products(user)
    if filters.stars:
        qs = qs.filter(
            Exists(_valid_certificates(day).filter(product=OuterRef("pk"), stars__in=filters.stars))
        )
    if filters.group:
        qs = qs.filter(
            Q(taxonomy__code=filters.group)
            | Q(taxonomy__parent__code=filters.group)
            | Q(taxonomy__parent__parent__code=filters.group)
        )
    if filters.district is not None:
        ids = set(
            AdministrativeUnit.objects.filter(
                era=Era.LEGACY, level=Level.DISTRICT, code=filters.district
            ).values_list("pk", flat=True)
        )
        qs = qs.filter(_in_units_q(ids, "producer__commune"))
    if filters.unit is not None:
        ids = set(
            AdministrativeUnit.objects.filter(
                era=Era.CURRENT, level=Level.COMMUNE, code=filters.unit
            ).values_list("pk", flat=True)
        )
        qs = qs.filter(_in_units_q(ids, "producer__commune"))
    if filters.village:
        qs = qs.filter(producer__craft_village__slug=filters.village)
    if filters.producer:
        qs = qs.filter(producer__slug=filters.producer)
    if filters.price_min is not None:
        qs = qs.filter(list_price__gte=filters.price_min)
    if filters.price_max is not None:
        qs = qs.filter(list_price__lte=filters.price_max)
    if (filters.in_stock or filters.center) and IN_STOCK:
        qs = IN_STOCK[0](qs, filters.center or None)
    plan = search.plan(filters.q) if filters.q.strip() else None
    sort = filters.sort if filters.sort in SORTS else "relevance"
    if sort == "relevance" and plan is None:
        sort = "name"
    if plan is None and filters.q.strip():  # only punctuation: a query with no words finds nothing
        qs = qs.none()
    if plan is None:
        matches = qs.order_by()
        ordered = qs
    else:
        matches = search.matching(qs, plan).order_by()
        ordered = search.ranked(qs, plan) if sort == "relevance" else matches
    if sort == "stars":
        # the stored stars (kept by the certificate services and the daily job), none (0) last
        ordered = ordered.alias(stars_key=STARS_SORT_KEY)
    keys = ORDERS[sort]
    return Found(
        matches=matches,
        ordered=ordered.order_by(*(key.expression() for key in keys)),
        keys=keys,
        plan=plan,
        among=qs.order_by(),
    )


def page_of(found: Found, offset: int, limit: int) -> list[Product]:
    """One page of the ordered list, with the details a list shows."""
    return in_order(found.ordered.values_list("pk", flat=True)[offset : offset + limit])


def keyed_ids(found: Found, rows: QuerySet[Product], limit: int) -> tuple[list[int], list[list[Any]]]:
    """The ids of the first `limit` of `rows` (a slice of `found.ordered`, e.g. `after(…)`), and each
    one's order fields (for the cursor that follows it): one query, on the product table alone."""
    names = [key.source or key.name for key in found.keys]
    keyed = list(rows.values_list("pk", *names)[:limit])
    values = [
        [value or 0 if key.source else value for key, value in zip(found.keys, row[1:], strict=True)]
        for row in keyed
    ]
    return [row[0] for row in keyed], values


def keyed_page(found: Found, rows: QuerySet[Product], limit: int) -> tuple[list[Product], list[list[Any]]]:
    """`keyed_ids`, with the details a list shows."""
    ids, values = keyed_ids(found, rows, limit)
    return in_order(ids), values


def in_order(ids: Iterable[int]) -> list[Product]:
    """The products of a page, with the details a list shows, in the page's order. The page's ids are
    found first, on the product table alone (its order may rank thousands of matches); only then are
    the page's rows and their relations read, by primary key (one query + prefetches)."""
    ids = list(ids)
    rows = {product.pk: product for product in with_details(Product.objects.filter(pk__in=ids))}
    return [rows[pk] for pk in ids if pk in rows]


def after(found: Found, values: list[Any]) -> QuerySet[Product]:
    """The ordered list after the row whose order fields were `values`: a keyset page, read from the
    order's index as fast at the 80 000th row as at the first. The first field also bounds the range
    on its own (`>=`), so that the database can start the index scan there."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(found.keys, values, strict=True):
        if value is None:  # nulls come last: only more nulls follow, in the order of the next field
            equal &= Q(**{f"{key.name}__isnull": True})
            continue
        further = Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
        if key.nullable:
            further |= Q(**{f"{key.name}__isnull": True})
        condition |= equal & further
        equal &= Q(**{key.name: value})
    first, start = found.keys[0], values[0]
    if start is not None and not first.nullable:
        condition &= Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": start})
    return found.ordered.filter(condition)


FACETS_CACHE_SECONDS = 24 * 60 * 60
# a search's counts: kept for the searches asked again soon, without filling the cache with every one
QUERY_FACETS_CACHE_SECONDS = 10 * 60


def catalogue_version() -> tuple[str, int] | None:
    """The catalogue's version, which every write that can change the whole catalogue's facet counts
    bumps; None while nothing was written through the services yet."""
    row = CatalogueVersion.objects.filter(pk=1, n__gt=0).values_list("token", "n").first()
    return (row[0], row[1]) if row else None


def sees_only_published(user: Any) -> bool:
    """Whether `visible_products(user)` is the public's catalogue: the published products."""
    return not (
        permissions.is_city_admin(user)
        or permissions.is_tourism_department(user)
        or permissions.scope_ids(user, Role.PRODUCER_MEMBER)
        or permissions.officer_unit_ids(user)
    )


def catalogue_facets(
    user: Any, filters: Filters, qs: QuerySet[Product], *, version: Any = "read"
) -> dict[str, Any]:
    """The facet counts of the search's products, counted in SQL over every match, and kept in the cache
    under the catalogue's version and the day (the stars facet follows the clock), so that a search or
    a filter asked again is not counted again until a write that can change them bumps the version.
    Not cached: the counts of those who see drafts, and of stock filters (stock changes with every sale
    and does not bump the version)."""
    if version == "read":  # the caller did not read it already
        version = catalogue_version()
    if version is None or filters.in_stock or filters.center or not sees_only_published(user):
        return facet_counts(qs)
    token, n = version
    asked = dataclasses.asdict(dataclasses.replace(filters, sort="", q=" ".join(filters.q.split())))
    whole = asked == dataclasses.asdict(Filters(sort=""))
    digest = hashlib.sha256(json.dumps(asked, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    key = f"catalogue:facets:{token}:{n}:{local_today().isoformat()}:{'all' if whole else digest[:32]}"
    counts: dict[str, Any] | None = cache.get(key)
    if counts is None or "total" not in counts:
        counts = facet_counts(qs)
        cache.set(key, counts, FACETS_CACHE_SECONDS if whole else QUERY_FACETS_CACHE_SECONDS)
    return counts


def facet_counts(qs: QuerySet[Product]) -> dict[str, Any]:
    """Counts for the facet sidebar: groups, stars, old districts, craft villages, and the matches in
    all (`total`, which the page shows: cached with the facets, so a page asked again does not count
    the catalogue again); five queries."""
    day = local_today()
    groups: dict[int | None, list[int]] = {}
    for node_id, count in qs.values_list("taxonomy_id").annotate(n=Count("pk")):
        groups.setdefault(node_id, [0])[0] += count
    nodes: dict[int | None, TaxonomyNode] = {
        n.pk: n
        for n in TaxonomyNode.objects.filter(pk__in=[k for k in groups if k]).select_related("parent__parent")
    }
    by_group: dict[str, list[Any]] = {}
    for node_id, (count,) in groups.items():
        node = nodes.get(node_id)
        if node is None:
            continue
        top = node.group
        entry = by_group.setdefault(top.code, [top.code, top.name, 0])
        entry[2] += count
    stars = list(
        _valid_certificates(day)
        .filter(product__in=qs)
        .values_list("stars")
        .annotate(n=Count("product", distinct=True))
        .order_by("-stars")
    )
    districts = list(
        qs.filter(producer__commune__parent__level=Level.DISTRICT)
        .values_list("producer__commune__parent__code", "producer__commune__parent__name")
        .annotate(n=Count("pk"))
        .order_by("producer__commune__parent__code")
    )
    villages = list(
        qs.filter(producer__craft_village__isnull=False)
        .values_list("producer__craft_village__slug", "producer__craft_village__name")
        .annotate(n=Count("pk"))
        .order_by("producer__craft_village__name")
    )
    return {
        "total": qs.count(),
        "groups": [tuple(v) for v in by_group.values()],
        "stars": [(s, f"{s}★", n) for s, n in stars],
        "districts": districts,
        "villages": villages,
    }


def certificates_expiring(user: Any, within_days: int, day: dt.date | None = None) -> QuerySet[Certificate]:
    """Valid certificates whose validity ends within `within_days`, for those who manage the producers."""
    day = day or local_today()
    qs = _valid_certificates(day).filter(valid_until__lte=day + dt.timedelta(days=within_days))
    if not permissions.is_city_admin(user):
        qs = qs.filter(product__producer__in=editable_producers(user))
    return qs.select_related("product__producer__commune__parent", "rule_set").order_by("valid_until", "pk")


def certificate_state(certificate: Certificate, day: dt.date | None = None) -> str:
    return certificate.state_on(day or local_today())


def is_perishable(product: Product) -> bool:
    """Whether the product's group is marked perishable: its goods are received only with an expiry date."""
    if not product.taxonomy_id:
        return False
    node = TaxonomyNode.objects.select_related("parent__parent").get(pk=product.taxonomy_id)
    return node.perishable


PRODUCER_MATCHES = 20


def producers_matching(term: str, limit: int = PRODUCER_MATCHES) -> list[Producer]:
    """Active producers whose folded name contains every word typed, or whose registration number is
    the term: the first `limit` by name. Forms pick a producer from these, never from the whole list."""
    words = search_terms(term)
    if not words:
        return []
    by_name = Q()
    for word in words:
        by_name &= Q(folded_name__contains=word)
    qs = Producer.objects.filter(is_active=True).filter(by_name | Q(registration_number=term.strip()))
    return list(qs.select_related("commune").order_by("folded_name", "pk")[:limit])


PRODUCT_MATCHES = 20


def products_matching(term: str, among: QuerySet[Product], limit: int = PRODUCT_MATCHES) -> list[Product]:
    """Those of `among` whose folded name contains every word typed, or whose GTIN is the term: the
    first `limit` by name. Forms pick a product from these, never from the whole catalogue."""
    words = search_terms(term)
    if not words:
        return []
    by_name = Q()
    for word in words:
        by_name &= Q(folded_name__contains=word)
    qs = among.filter(by_name | Q(gtin=term.strip()))
    return list(qs.select_related("producer").order_by("folded_name", "pk")[:limit])
