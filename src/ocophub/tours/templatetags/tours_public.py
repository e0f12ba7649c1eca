"""The product page's "tours that visit …" panel reads its tours through this tag (the product
panels are template names only)."""

from typing import Any

from django import template

from .. import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def product_tours(context: Any, product: Any) -> dict[str, Any]:
    return panels.product_tours(product, context.get("carriers") or [])
