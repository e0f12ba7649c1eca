"""Travel times between stops and the order of stops that travels least.

A leg's time is the great-circle distance × TOURS_ROAD_FACTOR (roads are not straight) at
TOURS_AVERAGE_SPEED_KMH. `plan` finds the order of a set of stops, between a fixed start and a fixed
end, that minimises the total travel: exactly by the Held–Karp dynamic programme up to EXACT_LIMIT
stops (2ⁿ·n² steps: 100 000 for ten), beyond it by nearest neighbour improved by 2-opt (good, not
always best). Given a start time it walks the order, each stop taking its planned minutes, and warns
of every stop reached outside its opening hours or left after it closes.
"""

import datetime as dt
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.centers import selectors as centers

EXACT_LIMIT = 10
EARTH_RADIUS_KM = 6371.0088

Hours = tuple[tuple[int, dt.time, dt.time], ...]


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class PlanStop:
    """A stop to plan: where, how long it takes, and when it is open (None: not known, not checked)."""

    key: Hashable
    latitude: float | Decimal
    longitude: float | Decimal
    minutes: int = 0
    hours: Hours | None = None
    label: str = ""

    @property
    def point(self) -> Point:
        return Point(float(self.latitude), float(self.longitude))


@dataclass(frozen=True)
class OpeningWarning:
    key: Hashable
    label: str
    arrives_at: dt.datetime
    message: str


@dataclass
class Plan:
    order: list[PlanStop]
    travel_minutes: float
    # minutes of each leg: start → first stop, …, last stop → end
    legs: list[float]
    exact: bool
    arrivals: list[dt.datetime] = field(default_factory=list)
    ends_at: dt.datetime | None = None
    warnings: list[OpeningWarning] = field(default_factory=list)


def road_factor() -> float:
    return float(getattr(settings, "TOURS_ROAD_FACTOR", 1.3))


def average_speed_kmh() -> float:
    return float(getattr(settings, "TOURS_AVERAGE_SPEED_KMH", 30))


def distance_km(a: Point, b: Point) -> float:
    """The great-circle (haversine) distance."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlng = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def travel_minutes(a: Point, b: Point) -> float:
    """The estimated minutes by road from a to b."""
    return distance_km(a, b) * road_factor() / average_speed_kmh() * 60


def _matrix(points: Sequence[Point]) -> list[list[float]]:
    return [[travel_minutes(a, b) for b in points] for a in points]


def _path_cost(path: Sequence[int], cost: list[list[float]]) -> float:
    return sum(cost[path[i]][path[i + 1]] for i in range(len(path) - 1))


def _held_karp(n: int, cost: list[list[float]]) -> list[int]:
    """Exact order of stops 1..n between node 0 (start) and node n + 1 (end)."""
    if n == 0:
        return []
    full = (1 << n) - 1
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for j in range(n):
        best[(1 << j, j)] = (cost[0][j + 1], -1)
    for mask in range(1, full + 1):
        for j in range(n):
            if not mask & (1 << j) or (mask, j) not in best:
                continue
            here = best[(mask, j)][0]
            for k in range(n):
                if mask & (1 << k):
                    continue
                key = (mask | (1 << k), k)
                value = here + cost[j + 1][k + 1]
                if key not in best or value < best[key][0]:
                    best[key] = (value, j)
    last = min(range(n), key=lambda j: best[(full, j)][0] + cost[j + 1][n + 1])
    order, mask = [], full
    while last != -1:
        order.append(last + 1)
        previous = best[(mask, last)][1]
        mask &= ~(1 << last)
        last = previous
    return order[::-1]


def _nearest_two_opt(n: int, cost: list[list[float]]) -> list[int]:
    """Nearest neighbour from the start, then 2-opt moves until none shortens the path."""
    left = set(range(1, n + 1))
    path = [0]
    while left:
        here = path[-1]
        step = min(left, key=lambda k: (cost[here][k], k))
        path.append(step)
        left.remove(step)
    path.append(n + 1)
    improved = True
    while improved:
        improved = False
        for i in range(1, len(path) - 2):
            for k in range(i + 1, len(path) - 1):
                candidate = path[:i] + path[i : k + 1][::-1] + path[k + 1 :]
                if _path_cost(candidate, cost) + 1e-9 < _path_cost(path, cost):
                    path, improved = candidate, True
    return path[1:-1]


def _is_open(stop: PlanStop, arrives: dt.datetime) -> str | None:
    """None when the stop is open from arrival to the end of its planned time; else why not."""
    if stop.hours is None:
        return None
    local = timezone.localtime(arrives)
    leaves = local + dt.timedelta(minutes=stop.minutes)
    periods = [(opens, closes) for weekday, opens, closes in stop.hours if weekday == local.weekday()]
    for opens, closes in periods:
        if opens <= local.time() < closes:
            if leaves.date() == local.date() and leaves.time() <= closes:
                return None
            return _("It closes at %(closes)s, before the planned visit ends at %(leaves)s.") % {
                "closes": f"{closes:%H:%M}",
                "leaves": f"{leaves:%H:%M}",
            }
    if not periods:
        return _("It is closed on that day.")
    hours = ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in periods)
    return _("Reached at %(at)s, outside its opening hours (%(hours)s).") % {
        "at": f"{local:%H:%M}",
        "hours": hours,
    }


def timeline(order: Sequence[PlanStop], start: Point, end: Point, starts_at: dt.datetime | None) -> Plan:
    """Walk stops in the order given: legs, arrival times and the opening-hours warnings."""
    points = [start] + [stop.point for stop in order] + [end]
    legs = [travel_minutes(points[i], points[i + 1]) for i in range(len(points) - 1)]
    plan = Plan(order=list(order), travel_minutes=sum(legs), legs=legs, exact=True)
    if starts_at is None:
        return plan
    at = starts_at
    for stop, leg in zip(order, legs, strict=False):
        at += dt.timedelta(minutes=leg)
        plan.arrivals.append(at)
        why = _is_open(stop, at)
        if why:
            plan.warnings.append(OpeningWarning(stop.key, stop.label, at, why))
        at += dt.timedelta(minutes=stop.minutes)
    plan.ends_at = at + dt.timedelta(minutes=legs[-1])
    return plan


def plan(stops: Sequence[PlanStop], start: Point, end: Point, starts_at: dt.datetime | None = None) -> Plan:
    """The order of `stops` with the least total travel from `start` to `end` (exact up to
    EXACT_LIMIT stops, 2-opt beyond), with its timeline when `starts_at` is given."""
    stops = list(stops)
    n = len(stops)
    cost = _matrix([start] + [stop.point for stop in stops] + [end])
    exact = n <= EXACT_LIMIT
    order = _held_karp(n, cost) if exact else _nearest_two_opt(n, cost)
    result = timeline([stops[i - 1] for i in order], start, end, starts_at)
    result.exact = exact
    return result


# --- a tour's stops -----------------------------------------------------------------------------------


def plan_stops(stops: Sequence[Any]) -> tuple[list[PlanStop], list[Any]]:
    """PlanStops of a tour's TourStops (read with `select_related("center", "session__event__center")`):
    a stop's own coordinates, else its center's, else its workshop's; the hours of its center (one
    query for all). The second list holds the stops with no known place."""
    center_of: dict[int, int] = {}
    for stop in stops:
        center = stop.center or (stop.session.event.center if stop.session_id else None)
        if center is not None:
            center_of[stop.pk] = center.pk
    hours = centers.opening_hours_of(sorted(set(center_of.values())))
    placed, unplaced = [], []
    for stop in stops:
        latitude, longitude = stop.latitude, stop.longitude
        if latitude is None and stop.center is not None:
            latitude, longitude = stop.center.latitude, stop.center.longitude
        if latitude is None and stop.session_id:
            event = stop.session.event
            latitude, longitude = event.latitude, event.longitude
            if latitude is None:
                latitude, longitude = event.center.latitude, event.center.longitude
        if latitude is None or longitude is None:
            unplaced.append(stop)
            continue
        center_id = center_of.get(stop.pk)
        known = tuple(hours[center_id]) if center_id in hours else None
        placed.append(
            PlanStop(
                key=stop.pk,
                latitude=latitude,
                longitude=longitude,
                minutes=stop.minutes,
                hours=known if stop.kind == "center" else None,
                label=str(stop),
            )
        )
    return placed, unplaced
