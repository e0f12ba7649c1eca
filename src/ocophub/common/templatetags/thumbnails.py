"""`{% thumbnail photo "card" %}`: the address of a photo's thumbnail, or of a placeholder without one."""

from typing import Any

from django import template
from django.templatetags.static import static

from ocophub.common.thumbnails import SIZES, thumbnail_url

register = template.Library()

PLACEHOLDER = "common/placeholder.svg"


def _source_name(photo: Any) -> str:
    """The storage name of a photo row (anything with an `image` file), a file field, or a name."""
    image = getattr(photo, "image", photo)
    name = getattr(image, "name", image)
    return name if isinstance(name, str) else ""


@register.simple_tag
def thumbnail(photo: Any, size: str = "card") -> str:
    if size not in SIZES:
        raise template.TemplateSyntaxError(f"unknown thumbnail size {size!r}; use one of {', '.join(SIZES)}")
    name = _source_name(photo) if photo else ""
    return thumbnail_url(name, size) if name else static(PLACEHOLDER)


@register.simple_tag
def thumbnail_width(size: str = "card") -> int:
    return SIZES[size].width


@register.simple_tag
def thumbnail_height(size: str = "card") -> int:
    return SIZES[size].height
