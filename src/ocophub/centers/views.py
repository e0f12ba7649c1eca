"""Public pages: the list and map of centers, and a center's page."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ocophub.accounts import permissions
from ocophub.places import selectors as places
from ocophub.places.models import REFORM_2025_07, Craft

from . import selectors
from .models import PUBLIC_STATUSES, SpaceKind, Status

WEEKDAYS = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]


def center_list(request: HttpRequest) -> HttpResponse:
    district = request.GET.get("district") or None
    craft = request.GET.get("craft") or None
    q = (request.GET.get("q") or "").strip()[:100]
    try:
        district_code = int(district) if district else None
    except ValueError:
        district_code = None
    qs = selectors.center_list(
        request.user, status=list(PUBLIC_STATUSES), district=district_code, craft=craft, q=q
    )
    rows = list(qs)
    points = [
        {
            "name": c.name,
            "lat": float(c.latitude),
            "lng": float(c.longitude),
            "status": c.status,
            "label": str(Status(c.status).label),
            "counted": True,
            "url": reverse("centers:detail", args=[c.slug]),
        }
        for c in rows
        if c.latitude is not None and c.longitude is not None
    ]
    return render(
        request,
        "centers/list.html",
        {
            "centers": rows,
            "map_points": points,
            "q": q,
            "district": district_code,
            "craft": craft,
            "districts": places.districts(),
            "crafts": Craft.objects.order_by("name"),
        },
    )


def center_detail(request: HttpRequest, slug: str) -> HttpResponse:
    center = selectors.with_details(selectors.visible_centers(request.user).filter(slug=slug)).first()
    if center is None:
        raise Http404
    spaces = {space.kind: space for space in center.spaces.all()}
    hours = [(WEEKDAYS[h.weekday], h.opens, h.closes) for h in center.hours.all()]
    # the unit stored for the site when it is known; else every unit the old commune went into
    current = (
        [places.Successor(center.unit_2025, False, center.unit_2025.valid_from or REFORM_2025_07)]
        if center.unit_2025 is not None
        else places.current_units_covering(center.commune)
    )
    return render(
        request,
        "centers/detail.html",
        {
            "center": center,
            "spaces": [(SpaceKind(kind).label, spaces.get(kind)) for kind in SpaceKind.values],
            "hours": hours,
            "current_units": current,
            "recognition": next(iter(center.recognitions.all()), None),
            "requirements": selectors.requirements(center),
            "can_edit": permissions.can_edit_center(request.user, center),
            "panels": [
                (template, panel(request.user, center, request.GET))
                for template, panel in selectors.CENTER_PANELS
            ],
            "map_points": [
                {
                    "name": center.name,
                    "lat": float(center.latitude),
                    "lng": float(center.longitude),
                    "status": center.status,
                    "label": str(Status(center.status).label),
                    "counted": True,
                    "url": "",
                }
            ]
            if center.latitude is not None and center.longitude is not None and settings.MAP_TILE_URL
            else [],
        },
    )
