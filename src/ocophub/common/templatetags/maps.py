"""{% center_map points "map-id" %}: a Leaflet map of centers, with the tile server from settings."""

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("web/_map.html")
def center_map(points: list[dict[str, Any]], map_id: str) -> dict[str, Any]:
    return {
        "points": points,
        "map_id": map_id,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
