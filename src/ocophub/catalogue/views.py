"""Public catalogue pages, traceability and QR codes, and the certificates-expiring list."""

import hashlib
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.safestring import mark_safe

from ocophub.accounts import permissions
from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common.dates import local_today
from ocophub.places import selectors as places

from . import product_page, qr, results, search, selectors
from .models import Producer, Product, ProductStatus, TaxonomyNode

PAGE_SIZE = 24
MAX_PAGES = 50  # of the catalogue page; the API reads any depth by cursor
SORT_LABELS = ["relevance", "name", "price", "-price", "newest", "stars"]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def filters_from_request(request: HttpRequest) -> selectors.Filters:
    get = request.GET
    stars = [s for s in (_int(v) for v in get.getlist("stars")) if s in (3, 4, 5)]
    return selectors.Filters(
        q=(get.get("q") or "").strip()[:100],
        stars=stars,
        group=(get.get("group") or "")[:80],
        district=_int(get.get("district")),
        unit=_int(get.get("unit")),
        village=(get.get("village") or "")[:140],
        price_min=_int(get.get("price_min")),
        price_max=_int(get.get("price_max")),
        in_stock=get.get("in_stock") == "1",
        center=(get.get("center") or "")[:220],
        sort=get.get("sort") or "relevance",
    )


class BoundedPaginator(Paginator):
    """Pages of a list whose true size is known but whose far pages are not offered: a visitor
    narrows the search instead of paging past `MAX_PAGES`, and no page skips thousands of rows."""

    def __init__(self, object_list: Any, per_page: int, total: int) -> None:
        super().__init__(object_list, per_page)
        self.total = total

    @cached_property
    def count(self) -> int:
        return min(self.total, MAX_PAGES * self.per_page)


def _in_page_language(facets: dict[str, Any]) -> dict[str, Any]:
    """The product groups by their English names on the English site (the counts are cached whatever the
    language, so the names are looked up here: one query, for the few top groups)."""
    if not (translation.get_language() or "").startswith("en") or not facets.get("groups"):
        return facets
    english = dict(
        TaxonomyNode.objects.filter(code__in=[code for code, _name, _n in facets["groups"]], parent=None)
        .exclude(name_en="")
        .values_list("code", "name_en")
    )
    groups = [(code, english.get(code, name), n) for code, name, n in facets["groups"]]
    return {**facets, "groups": groups}


CARDS_CACHE_SECONDS = 10 * 60


def _cached_cards(request: HttpRequest, ids: list[int], version: tuple[str, int] | None) -> str | None:
    """The page's product cards as HTML, kept in the cache under the catalogue's version (every write
    to a product, its producer, photos or certificates bumps it), the day (the stars follow the clock)
    and the language: a page of the catalogue asked again reads neither its 24 products and their
    relations nor renders them. Not for those who see drafts (their cards differ), and None when
    there is nothing to show or no version yet (the cards are then rendered as usual)."""
    if not ids or version is None or not selectors.sees_only_published(request.user):
        return None
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]
    language = translation.get_language() or "vi"
    key = f"catalogue:cards:{version[0]}:{version[1]}:{local_today().isoformat()}:{language}:{digest}"
    html: str | None = cache.get(key)
    if html is None:
        rows = selectors.in_order(ids)
        html = render_to_string(
            "catalogue/_cards.html", {"products": [(p, selectors.badge(p)) for p in rows]}, request
        )
        cache.set(key, html, CARDS_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 — our own template's output, escaped when it was rendered


def _search_page(request: HttpRequest, filters: selectors.Filters, version: Any, page_no: Any) -> dict:
    """The page's ids, its number, the facets (with the count of every match, `total`) and, when
    nothing matched, the "did you mean" suggestions: ranked and counted in SQL."""
    found = selectors.product_search(request.user, filters)
    facets = selectors.catalogue_facets(request.user, filters, found.matches, version=version)
    count = facets["total"]
    paginator = BoundedPaginator(found.ordered.values_list("pk", flat=True), PAGE_SIZE, count)
    page = paginator.get_page(page_no)
    return {
        "ids": list(page.object_list),
        "number": page.number,
        "facets": facets,
        "suggestions": found.suggestions() if not count else [],
    }


def product_search(request: HttpRequest) -> HttpResponse:
    filters = filters_from_request(request)
    version = selectors.catalogue_version()
    page_no = (request.GET.get("page") or "")[:12]
    found = results.cached(
        "page",
        request.user,
        filters,
        version,
        {"page": page_no},
        lambda: _search_page(request, filters, version, page_no),
    )
    count, ids, facets = found["facets"]["total"], found["ids"], found["facets"]
    paginator = BoundedPaginator([], PAGE_SIZE, count)
    page = Page(ids, found["number"], paginator)
    cards = _cached_cards(request, ids, version)
    rows = selectors.in_order(ids) if cards is None else []
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "catalogue/search.html",
        {
            "filters": filters,
            "products": [(p, selectors.badge(p)) for p in rows],
            "cards": cards,
            "ids": ids,
            "page": page,
            "count": count,
            "capped": count > paginator.count,
            "suggestions": found["suggestions"],
            "facets": _in_page_language(facets),
            "query_string": params.urlencode(),
            "districts": places.districts(),
            "current_units": places.current_communes().values_list("code", "name"),
            "sorts": SORT_LABELS,
            "stock_facets": bool(selectors.IN_STOCK),
            # read only when the filters are drawn: not when they come from the cache
            "stock_centers": SimpleLazyObject(selectors.STOCK_CENTERS[0]) if selectors.STOCK_CENTERS else [],
            # the filters' panel is kept with the result (the centers holding stock may then be up to
            # CATALOGUE_RESULTS_CACHE_SECONDS old); drawn every time where results are not kept
            "filters_key": results.key("filters", version, filters, {})
            if version is not None and results.cacheable(request.user, filters, version)
            else "",
            "filters_seconds": results.seconds(),
        },
    )


def suggest(request: HttpRequest) -> HttpResponse:
    names = search.suggest((request.GET.get("q") or "")[:100])
    return render(request, "catalogue/_suggestions.html", {"names": names})


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The product's body and the other apps' panels come from the cache (product_page.py); what
    depends on the viewer or on stock is this request's."""
    version = selectors.catalogue_version()  # before the product: see product_page.parts
    product = selectors.visible_products(request.user).filter(slug=slug).select_related("producer").first()
    if product is None:
        raise Http404
    carriers = product_page.carriers(product)
    body, panels, qr_uri = product_page.parts(request, product, version, carriers)
    members = permissions.can_work_for_producer(request.user, product.producer)
    return render(
        request,
        "catalogue/product.html",
        {
            "product": product,
            "body": body,
            "panels": panels,
            "qr": qr_uri,
            "carriers": carriers,
            "live_panels": selectors.PRODUCT_LIVE_PANELS,
            "edit_url": reverse("workspace:product", args=[product.producer.slug, product.pk])
            if members
            else "",
        },
    )


def producer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    producer = Producer.objects.select_related("commune__parent", "craft_village").filter(slug=slug).first()
    if producer is None:
        raise Http404
    products = selectors.with_details(selectors.visible_products(request.user).filter(producer=producer))
    return render(
        request,
        "catalogue/producer.html",
        {
            "producer": producer,
            "products": [(p, selectors.badge(p)) for p in products],
            "current_units": places.current_units_covering(producer.commune),
            "can_edit": permissions.can_edit_producer(request.user, producer),
        },
    )


def village_detail(request: HttpRequest, slug: str) -> HttpResponse:
    village = places.village_by_slug(slug)
    if village is None:
        raise Http404
    products = selectors.with_details(
        selectors.visible_products(request.user).filter(
            producer__craft_village=village, status=ProductStatus.PUBLISHED
        )
    )[:48]
    return render(
        request,
        "catalogue/village.html",
        {
            "village": village,
            "producers": Producer.objects.filter(craft_village=village).order_by("folded_name"),
            "products": [(p, selectors.badge(p)) for p in products],
            "centers": Center.objects.filter(craft_village=village, status__in=PUBLIC_STATUSES).order_by(
                "name"
            ),
            "current_units": places.current_units_covering(village.commune),
            "panels": [
                (template, panel(request.user, village, request.GET))
                for template, panel in selectors.VILLAGE_PANELS
            ],
        },
    )


def _public_product(slug: str) -> Product:
    product = selectors.with_details(
        Product.objects.filter(slug=slug, status=ProductStatus.PUBLISHED)
    ).first()
    if product is None:
        raise Http404
    return product


def trace(request: HttpRequest, slug: str) -> HttpResponse:
    """The page a product's QR code opens: who made it, where, and whether its OCOP stars are valid."""
    product = _public_product(slug)
    history = list(product.certificates.select_related("rule_set").order_by("-decision_date"))
    certificate = selectors.badge(product)
    return render(
        request,
        "catalogue/trace.html",
        {
            "product": product,
            "certificate": certificate,
            "history": history,
            "today": local_today(),
            "state": certificate.state_on(local_today()) if certificate else None,
            "carriers": product_page.carriers(product),
            "village_centers": product_page.village_centers(product),
        },
    )


def _trace_url(request: HttpRequest, product: Product) -> str:
    return request.build_absolute_uri(reverse("catalogue:trace", args=[product.slug]))


def qr_svg(request: HttpRequest, slug: str) -> HttpResponse:
    product = _public_product(slug)
    response = HttpResponse(qr.qr_svg(_trace_url(request, product)), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def qr_png(request: HttpRequest, slug: str) -> HttpResponse:
    product = _public_product(slug)
    response = HttpResponse(qr.qr_png(_trace_url(request, product)), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def label_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    """A printable A4 sheet of QR labels for a producer's published products."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    producer = selectors.editable_producers(request.user).filter(slug=slug).first()
    if producer is None:
        raise Http404
    products = Product.objects.filter(producer=producer, status=ProductStatus.PUBLISHED).order_by(
        "folded_name"
    )
    labels = [(p, qr.qr_data_uri(_trace_url(request, p), scale=3)) for p in products]
    return render(request, "catalogue/labels.html", {"producer": producer, "labels": labels})


def _with_days_left(certificates: Any) -> list[Any]:
    today = local_today()
    rows = list(certificates)
    for certificate in rows:
        certificate.days_left = (certificate.valid_until - today).days
    return rows


def certificates_expiring(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    if not (
        permissions.is_city_admin(user)
        or permissions.officer_unit_ids(user)
        or permissions.scope_ids(user, "producer_member")
    ):
        raise Http404
    days = _int(request.GET.get("days")) or 30
    days = days if days in (30, 60, 90) else 30
    return render(
        request,
        "catalogue/expiring.html",
        {
            "certificates": _with_days_left(selectors.certificates_expiring(user, days)),
            "days": days,
            "choices": (30, 60, 90),
            "today": local_today(),
        },
    )
