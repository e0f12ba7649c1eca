"""`{% product_designs product as designs %}`: the product page's design panel, read in two queries
(the catalogue's page knows no design; it includes the panel's template, which asks here)."""

from typing import Any

from django import template

from .. import selectors_portfolio

register = template.Library()


@register.simple_tag
def product_designs(product: Any) -> dict[str, Any]:
    return selectors_portfolio.product_designs(product)
