"""{% center_map points "map-id" %}: a Leaflet map of centers, with the tile server from settings.
`{% center_map points "map-id" "route" %}` draws a route instead: the points numbered in their order
(a point's `number`; none for the start) and a line joining them in that order."""

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("web/_map.html")
def center_map(points: list[dict[str, Any]], map_id: str, mode: str = "") -> dict[str, Any]:
    return {
        "points": points,
        "map_id": map_id,
        "route": mode == "route",
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
