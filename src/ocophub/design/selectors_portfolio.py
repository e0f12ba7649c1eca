"""Reads of the public portfolio: the delivered or closed designs a producer let the center show, the
panels of the center and product pages, and which stored image a public picture route may serve.

A design is in the portfolio when it is delivered or closed and its producer allowed it
(DesignRequest.in_portfolio); nothing else of a request is public. A product's current label or
package (ProductDesign) is public with the product's page: the producer set it there to be shown.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ocophub.catalogue import selectors as catalogue
from ocophub.catalogue.models import Product, ProductStatus
from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.places.models import Craft

from .models import DONE_STATES, IMAGE_TYPES, DesignFile, DesignRequest, ProductDesign

PORTFOLIO_PAGE = 12
CENTER_PANEL_SIZE = 4
PRODUCT_PANEL_SIZE = 4
SIDES = ("before", "after")


@dataclass(frozen=True)
class PortfolioFilters:
    craft: str = ""  # a Craft's slug: of the producer's craft village
    kind: str = ""  # a DesignKind
    center: str = ""  # a Center's slug


def portfolio_requests() -> QuerySet[DesignRequest]:
    """Every design in the portfolio (the filter form of DesignRequest.in_portfolio)."""
    return DesignRequest.objects.filter(state__in=DONE_STATES, portfolio_allowed=True)


def with_cards(qs: QuerySet[DesignRequest]) -> QuerySet[DesignRequest]:
    """What a card shows, in one query: the producer, the center and both pictures' names; newest first."""
    return qs.select_related("producer", "center", "before_file", "after_file").order_by(
        "-delivered_at", "-pk"
    )


def portfolio_search(filters: PortfolioFilters) -> QuerySet[DesignRequest]:
    qs = portfolio_requests()
    if filters.craft:
        # a village has a craft once: the join adds no duplicate row
        qs = qs.filter(producer__craft_village__crafts__slug=filters.craft)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.center:
        qs = qs.filter(center__slug=filters.center)
    return with_cards(qs)


def filter_crafts() -> list[Craft]:
    """The crafts a visitor may filter by: those of the producers with a design in the portfolio."""
    return list(
        Craft.objects.filter(villages__producers__design_requests__in=portfolio_requests())
        .distinct()
        .order_by("name")
    )


def filter_centers() -> list[Center]:
    """The centers a visitor may filter by: those with a design in the portfolio."""
    return list(Center.objects.filter(design_requests__in=portfolio_requests()).distinct().order_by("name"))


def portfolio_entry(pk: int) -> DesignRequest | None:
    """One design of the portfolio, or None when it is not (or no longer) in it."""
    return (
        portfolio_requests()
        .select_related("producer__craft_village", "center", "before_file", "after_file")
        .filter(pk=pk)
        .first()
    )


def entry_page(design: DesignRequest) -> dict[str, Any]:
    """The entry's published products (the public may open their pages), in one query."""
    products = list(
        Product.objects.filter(design_requests=design, status=ProductStatus.PUBLISHED).order_by(
            "folded_name", "pk"
        )
    )
    return {"products": products, "center_public": design.center.status in PUBLIC_STATUSES}


def _image_name(row: DesignFile | None) -> str | None:
    if row is None or row.file_type not in IMAGE_TYPES or not row.file:
        return None
    return str(row.file.name)


def portfolio_image_source(pk: int, side: str) -> str | None:
    """The stored name of a portfolio design's before or after image; None when the design is not in
    the portfolio, the side is unknown or it has no such image."""
    if side not in SIDES:
        return None
    design = portfolio_requests().select_related(f"{side}_file").filter(pk=pk).first()
    if design is None:
        return None
    return _image_name(design.before_file if side == "before" else design.after_file)


def product_design_source(user: Any, pk: int) -> str | None:
    """The stored name of a product's current label or package image, when the viewer may see the
    product's page; None otherwise."""
    row = (
        ProductDesign.objects.filter(pk=pk, product__in=catalogue.visible_products(user))
        .select_related("file")
        .first()
    )
    return _image_name(row.file if row else None)


def center_portfolio(user: Any, center: Center, query: Any) -> dict[str, Any]:
    """The center page's panel: its latest portfolio designs (one query, whatever their number)."""
    designs = list(with_cards(portfolio_requests().filter(center=center))[: CENTER_PANEL_SIZE + 1])
    return {"designs": designs[:CENTER_PANEL_SIZE], "more": len(designs) > CENTER_PANEL_SIZE}


def product_designs(product: Product) -> dict[str, Any]:
    """The product page's panel, in two queries: its current label and package (with the center
    that designed them) and the portfolio designs made for it."""
    current = list(
        ProductDesign.objects.filter(product=product)
        .select_related("request__center", "file")
        .order_by("kind")
    )
    portfolio = list(with_cards(portfolio_requests().filter(products=product))[:PRODUCT_PANEL_SIZE])
    return {
        "current": [
            {
                "row": row,
                "has_image": _image_name(row.file) is not None,
                "center": row.request.center,
                "center_public": row.request.center.status in PUBLIC_STATUSES,
                "entry": row.request.in_portfolio,
            }
            for row in current
        ],
        "portfolio": portfolio,
    }
