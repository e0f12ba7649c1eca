"""Reads of centers shared by pages, the API and the plan tracker."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.common.text import fold
from ocophub.places import selectors as places
from ocophub.places.models import AdministrativeUnit, Era, Level

from .models import (
    MIN_FLOOR_AREA_M2,
    MIN_OCOP_GOODS_SHARE,
    MIN_TRANSACTION_SPACE_M2,
    PUBLIC_STATUSES,
    Center,
    CenterEvent,
    Criterion,
    OpeningHours,
    SpaceKind,
)

# Apps above centers (the catalogue and stock) publish the share of OCOP or signature goods a center
# carries by appending a function here; None means "not known yet".
GOODS_SHARE_PROVIDERS: list[Callable[[Center], Decimal | None]] = []
# Sections that apps above centers add to a center's page (stock: the goods on its shelves): a template
# name and a function (viewer, center, the page's query) → the template's `panel`.
CENTER_PANELS: list[tuple[str, Callable[[Any, Center, Any], dict[str, Any]]]] = []


def visible_centers(user: Any) -> QuerySet[Center]:
    """Centers the user may see: the public sees recognised and operating ones only."""
    qs = Center.objects.all()
    if permissions.can_view_city_overview(user):
        return qs
    visible = Q(status__in=PUBLIC_STATUSES)
    own = permissions.scope_ids(user, Role.CENTER_MANAGER, Role.CENTER_STAFF, Role.DESIGNER)
    if own:
        visible |= Q(pk__in=own)
    units = permissions.officer_unit_ids(user)
    if units:
        visible |= places.units_q(units)
    return qs.filter(visible)


def editable_centers(user: Any) -> QuerySet[Center]:
    """Centers whose whole record the user may change: the city, and unit officers in their units."""
    if permissions.is_city_admin(user):
        return Center.objects.all()
    return Center.objects.filter(places.units_q(permissions.officer_unit_ids(user)))


def with_details(qs: QuerySet[Center]) -> QuerySet[Center]:
    return qs.select_related("commune__parent", "craft_village", "unit_2025").prefetch_related(
        "crafts", "spaces", "hours", "photos", "recognitions"
    )


def center_list(
    user: Any,
    *,
    status: Sequence[str] | None = None,
    district: int | None = None,
    unit: int | None = None,
    craft: str | None = None,
    q: str | None = None,
) -> QuerySet[Center]:
    qs = visible_centers(user)
    if status:
        qs = qs.filter(status__in=status)
    if district is not None:
        ids = set(
            AdministrativeUnit.objects.filter(
                era=Era.LEGACY, level=Level.DISTRICT, code=district
            ).values_list("pk", flat=True)
        )
        qs = qs.filter(places.units_q(ids))
    if unit is not None:
        ids = set(
            AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, code=unit).values_list(
                "pk", flat=True
            )
        )
        qs = qs.filter(places.units_q(ids))
    if craft:
        qs = qs.filter(crafts__slug=craft)
    folded = fold(q)
    if folded:
        qs = qs.filter(
            Q(folded_name__contains=folded)
            | Q(commune__folded_name__contains=folded)
            | Q(craft_village__folded_name__contains=folded)
        )
    return with_details(qs.distinct()).order_by("folded_name", "pk")


def status_on(events: list[CenterEvent], day: dt.date) -> str | None:
    """A center's status at the end of `day`, from its events; None before it was registered."""
    best: CenterEvent | None = None
    for event in events:
        if event.effective_on <= day and (
            best is None or (event.effective_on, event.pk) > (best.effective_on, best.pk)
        ):
            best = event
    return best.to_state if best else None


def latest_events(limit: int = 10, centers: QuerySet[Center] | None = None) -> list[CenterEvent]:
    qs = CenterEvent.objects.select_related("center", "actor")
    if centers is not None:
        qs = qs.filter(center__in=centers)
    return list(qs.order_by("-at", "-pk")[:limit])


@dataclass(frozen=True)
class Requirement:
    code: str
    label: str
    ok: bool | None  # None: cannot be judged yet
    detail: str


def requirements(center: Center) -> list[Requirement]:
    """The hard requirements of Decision 6385/QĐ-UBND, checked against the center's record."""
    from django.utils.translation import gettext as _

    spaces = {space.kind: space.area_m2 for space in center.spaces.all()}
    area = center.floor_area_m2
    result = [
        Requirement(
            "floor_area",
            _("At least %(min)s m² of floor area") % {"min": MIN_FLOOR_AREA_M2},
            None if area is None else area >= MIN_FLOOR_AREA_M2,
            "" if area is None else f"{area} m²",
        ),
        Requirement(
            "four_spaces",
            _("The four functional spaces"),
            None if not spaces else all(spaces.get(kind, 0) > 0 for kind in SpaceKind.values),
            ", ".join(str(SpaceKind(kind).label) for kind in SpaceKind.values if not spaces.get(kind))
            if spaces
            else "",
        ),
        Requirement(
            "transactions_space",
            _("At least %(min)s m² for transactions and workshops") % {"min": MIN_TRANSACTION_SPACE_M2},
            None
            if SpaceKind.TRANSACTIONS not in spaces
            else spaces[SpaceKind.TRANSACTIONS] >= MIN_TRANSACTION_SPACE_M2,
            f"{spaces[SpaceKind.TRANSACTIONS]} m²" if SpaceKind.TRANSACTIONS in spaces else "",
        ),
    ]
    share: Decimal | None = None
    for provider in GOODS_SHARE_PROVIDERS:
        share = provider(center)
        if share is not None:
            break
    result.append(
        Requirement(
            "ocop_goods_share",
            _("Share of OCOP or signature craft-village goods: at least 60%"),
            None if share is None else share >= MIN_OCOP_GOODS_SHARE,
            "" if share is None else f"{share:.0%}",
        )
    )
    return result


def criteria() -> list[Criterion]:
    return list(Criterion.objects.order_by("position", "code"))


def prefetch_events(qs: QuerySet[Center]) -> QuerySet[Center]:
    return qs.prefetch_related(
        Prefetch("events", queryset=CenterEvent.objects.order_by("effective_on", "pk"))
    )


def staff_of(center: Center) -> list[tuple[str, str]]:
    """(name, role label) of the people who hold a role at the center."""
    from ocophub.accounts.models import RoleGrant

    grants = (
        RoleGrant.objects.live()
        .filter(scope_id=center.pk, role__in=[Role.CENTER_MANAGER, Role.CENTER_STAFF, Role.DESIGNER])
        .select_related("user")
    )
    return [
        (str(grant.user), str(Role(grant.role).label)) for grant in grants.order_by("role", "user__full_name")
    ]


def opening_hours_of(center_ids: Sequence[int]) -> dict[int, list[tuple[int, dt.time, dt.time]]]:
    """Center id → its opening periods (weekday with 0 = Monday, opens, closes), in one query. A center
    with no rows is missing: its hours are not known (not "always closed")."""
    found: dict[int, list[tuple[int, dt.time, dt.time]]] = {}
    rows = OpeningHours.objects.filter(center_id__in=list(center_ids)).order_by(
        "center_id", "weekday", "opens"
    )
    for center_id, weekday, opens, closes in rows.values_list("center_id", "weekday", "opens", "closes"):
        found.setdefault(center_id, []).append((weekday, opens, closes))
    return found
