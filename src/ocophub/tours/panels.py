"""The tours' panels on lower apps' pages (installed by hooks.py): "tours that visit …" on the
craft-village, center and product pages — a fixed few queries whatever the number of tours."""

from typing import Any

from ocophub.centers.models import Center
from ocophub.places.models import CraftVillage

from . import selectors_public as public

PANEL = "tours/public/_tours_panel.html"
PANEL_SIZE = 4


def cards(tours: list[Any]) -> dict[str, Any]:
    """The tours (one more than shown, to know if there are more) with their next bookable departure."""
    departures = public.coming_departures([t.pk for t in tours[:PANEL_SIZE]])
    return {
        "cards": [
            {"tour": t, "next": public.next_bookable(departures.get(t.pk, []))} for t in tours[:PANEL_SIZE]
        ],
        "more": len(tours) > PANEL_SIZE,
    }


def village_tours(user: Any, village: CraftVillage, query: Any) -> dict[str, Any]:
    found = cards(public.tours_visiting(village_ids=[village.pk], limit=PANEL_SIZE + 1))
    return found | {"name": village.name, "filter": f"lang={village.slug}"}


def center_tours(user: Any, center: Center, query: Any) -> dict[str, Any]:
    found = cards(public.tours_visiting(center_ids=[center.pk], limit=PANEL_SIZE + 1))
    return found | {"name": center.name, "filter": f"center={center.slug}"}


def product_tours(product: Any, carriers: list[Any]) -> dict[str, Any]:
    """Tours visiting the product's producer's village or a center carrying it (the product page
    has read its carriers already)."""
    village_id = product.producer.craft_village_id
    center_ids = [c.pk for c in carriers or []]
    if not village_id and not center_ids:
        return {"cards": [], "more": False}
    tours = public.tours_visiting(
        village_ids=[village_id] if village_id else None, center_ids=center_ids, limit=PANEL_SIZE + 1
    )
    return cards(tours) | {"name": product.name, "filter": ""}
