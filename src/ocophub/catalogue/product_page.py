"""The public product page's parts that are the same for every viewer, rendered once and kept in Django's
cache (the database's or Redis, shared by every app server), so that a product page asked again reads
neither the product's photos, certificates and relations nor renders them.

Three parts, by what they depend on:

- the body (the head, photos, description, certificate and its history): the catalogue's own rows only.
  Its key holds the catalogue's version, which every write to a product, its producer, photos,
  certificates or the taxonomy bumps, the day (a certificate's state is that of today, in the city's
  time zone: "expiring" and "expired" change at midnight), the language and the product: a write shows
  on the next view, and no timeout is needed beyond keeping the cache small.
- the other apps' panels (`selectors.PRODUCT_PANELS`: the design panel, the tours visiting the village
  or the centers carrying it, with their free seats and next departures; and the craft village's
  centers shown when no center carries it): other apps' rows that do not bump the catalogue's version,
  and the clock (a departure's booking cut-off). They are kept `PANELS_CACHE_SECONDS` only, under the
  same key plus the centers carrying the product: a new booking's seats or a new design show within a
  minute, and the booking pages count the seats again.
- read on every request, never cached: whether the product is visible to the viewer (a product that is
  not published is rendered for those who may see it and never read from or written to the cache),
  the centers carrying it and their stock with the add-to-basket forms and their CSRF token
  (`selectors.PRODUCT_LIVE_PANELS`: stock changes with every sale), the edit link of the producer's
  members, the QR code of the address the page was asked at (read from the cache in the same round
  trip), and the site's header and messages.
"""

import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common.dates import local_today

from . import qr, selectors
from .models import CertificateState, Product, ProductStatus

BODY_CACHE_SECONDS = 24 * 60 * 60  # the key changes with the day anyway
PANELS_CACHE_SECONDS = 60
Parts = dict[str, SafeString]


def carriers(product: Product) -> list[Any]:
    if selectors.CARRIERS:
        return selectors.CARRIERS[0]([product.pk]).get(product.pk, [])
    return []


def village_centers(product: Product) -> list[Center]:
    village_id = product.producer.craft_village_id
    if not village_id:
        return []
    return list(
        Center.objects.filter(craft_village_id=village_id, status__in=PUBLIC_STATUSES).order_by("name")
    )


def _safe(parts: Mapping[str, str]) -> Parts:
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308 — our templates' output


def render_body(product: Product) -> Parts:
    """The body of the page, the same for every viewer: read with the product's details (photos, its
    valid certificates) and its certificates' history."""
    product = selectors.with_details(Product.objects.filter(pk=product.pk)).get()
    certificate = selectors.badge(product)
    today = local_today()
    context = {
        "product": product,
        "certificate": certificate,
        "history": list(product.certificates.select_related("rule_set").order_by("-decision_date")),
        "today": today,
        "state": certificate.state_on(today) if certificate else None,
        "states": CertificateState,
    }
    return _safe(
        {
            name: render_to_string(f"catalogue/_product_{name}.html", context)
            for name in ("head", "gallery", "about", "certificate")
        }
    )


def render_panels(product: Product, carried_by: list[Any]) -> Parts:
    """The other apps' panels, and the craft village's centers when no center carries the product."""
    context = {"product": product, "carriers": carried_by}
    where = (
        ""
        if carried_by
        else render_to_string(
            "catalogue/_product_village_centers.html", {"village_centers": village_centers(product)}
        )
    )
    panels = "".join(render_to_string(panel, context) for panel in selectors.PRODUCT_PANELS)
    return _safe({"where": where, "panels": panels})


def _key(kind: str, version: tuple[str, int], product: Product, *more: Any) -> str:
    language = translation.get_language() or "vi"
    tail = hashlib.sha256(",".join(map(str, more)).encode()).hexdigest()[:16] if more else "-"
    day = local_today().isoformat()
    return f"catalogue:product:{kind}:{version[0]}:{version[1]}:{day}:{language}:{product.pk}:{tail}"


def parts(
    request: HttpRequest, product: Product, version: tuple[str, int] | None, carried_by: list[Any]
) -> tuple[Parts, Parts, str]:
    """The body, the panels and the QR code's data URI of the product page. `version` is the catalogue's,
    read before the product (a write committed in between then shows under the next version, never an
    older body under the newer one). Only a published product's parts are cached."""
    trace_url = request.build_absolute_uri(reverse("catalogue:trace", args=[product.slug]))
    qr_key = qr.cache_key("uri", trace_url, qr.PAGE_SCALE)
    if version is None or product.status != ProductStatus.PUBLISHED:
        return render_body(product), render_panels(product, carried_by), qr.qr_data_uri(trace_url)
    body_key = _key("body", version, product)
    panels_key = _key("panels", version, product, *sorted(c.pk for c in carried_by))
    found = cache.get_many([body_key, panels_key, qr_key])
    body = found.get(body_key)
    if body is None:
        body = render_body(product)
        cache.set(body_key, {name: str(html) for name, html in body.items()}, BODY_CACHE_SECONDS)
    panels = found.get(panels_key)
    if panels is None:
        panels = render_panels(product, carried_by)
        cache.set(panels_key, {name: str(html) for name, html in panels.items()}, PANELS_CACHE_SECONDS)
    uri = found.get(qr_key) or qr.qr_data_uri(trace_url)
    return _safe(body), _safe(panels), uri
