import datetime as dt
import itertools

import pytest
from django.utils import timezone

from ocophub.tours import planner
from ocophub.tours.planner import PlanStop, Point

# Eight stops of the demo tours (Bát Tràng, Kim Lan, Vạn Phúc, Chuyên Mỹ, Hạ Thái, Đường Lâm …)
DEMO = [
    ("Bát Tràng", 20.9750, 105.9120),
    ("Kim Lan", 20.9580, 105.9260),
    ("Vạn Phúc", 20.9800, 105.7700),
    ("Chuyên Mỹ", 20.7500, 105.8800),
    ("Hạ Thái", 20.8500, 105.8600),
    ("Đường Lâm", 21.1580, 105.4690),
    ("Phù Lãng", 21.1500, 106.1000),
    ("Quảng Phú Cầu", 20.8200, 105.7800),
]
HANOI_OPERA = Point(21.0242, 105.8575)
HOAN_KIEM = Point(21.0285, 105.8542)


def _stops(**more):
    return [
        PlanStop(key=name, latitude=lat, longitude=lng, minutes=60, label=name, **more)
        for name, lat, lng in DEMO
    ]


def _cost(order, start, end):
    points = [start] + [s.point for s in order] + [end]
    return sum(planner.travel_minutes(points[i], points[i + 1]) for i in range(len(points) - 1))


def test_the_planner_finds_the_brute_force_optimum_of_eight_stops():
    stops = _stops()
    best = min(_cost(p, HANOI_OPERA, HOAN_KIEM) for p in itertools.permutations(stops))

    plan = planner.plan(stops, HANOI_OPERA, HOAN_KIEM)

    assert plan.exact
    assert sorted(s.key for s in plan.order) == sorted(s.key for s in stops)
    assert plan.travel_minutes == pytest.approx(best, abs=1e-9)
    # and the order matters: the given one is worse
    assert _cost(stops, HANOI_OPERA, HOAN_KIEM) > best + 1


def test_the_start_and_the_end_are_fixed_and_change_the_order():
    stops = _stops()[:5]
    there = planner.plan(stops, HANOI_OPERA, Point(20.75, 105.88))
    back = planner.plan(stops, Point(20.75, 105.88), HANOI_OPERA)
    assert [s.key for s in there.order] == [s.key for s in back.order][::-1]


def test_travel_time_is_the_great_circle_by_the_road_factor_at_the_average_speed(settings):
    a, b = Point(21.0, 105.8), Point(21.1, 105.8)  # 0.1° of latitude ≈ 11.12 km
    settings.TOURS_ROAD_FACTOR, settings.TOURS_AVERAGE_SPEED_KMH = 1.0, 60
    assert planner.travel_minutes(a, b) == pytest.approx(11.12, abs=0.01)
    settings.TOURS_ROAD_FACTOR, settings.TOURS_AVERAGE_SPEED_KMH = 1.3, 30
    assert planner.travel_minutes(a, b) == pytest.approx(11.12 * 1.3 * 2, abs=0.02)


def test_beyond_ten_stops_the_heuristic_visits_every_stop_and_beats_the_given_order():
    stops = [
        PlanStop(key=n, latitude=20.8 + (n * 37 % 11) * 0.03, longitude=105.6 + (n * 53 % 13) * 0.03)
        for n in range(14)
    ]
    plan = planner.plan(stops, HANOI_OPERA, HANOI_OPERA)
    assert not plan.exact
    assert sorted(s.key for s in plan.order) == list(range(14))
    assert plan.travel_minutes <= _cost(stops, HANOI_OPERA, HANOI_OPERA)


def test_a_stop_reached_after_closing_is_flagged():
    monday = timezone.make_aware(dt.datetime(2027, 1, 4, 8, 0))  # a Monday
    hours = ((0, dt.time(8, 0), dt.time(11, 0)),)  # Monday mornings only
    near = PlanStop(key="near", latitude=21.03, longitude=105.86, minutes=30, hours=hours, label="Gần")
    far = PlanStop(key="far", latitude=21.158, longitude=105.469, minutes=600, label="Đường Lâm")
    shut = PlanStop(
        key="shut", latitude=21.03, longitude=105.87, minutes=30, hours=((1, dt.time(8), dt.time(17)),)
    )

    early = planner.timeline([near], HANOI_OPERA, HANOI_OPERA, monday)
    late = planner.timeline([far, near], HANOI_OPERA, HANOI_OPERA, monday)
    closed = planner.timeline([shut], HANOI_OPERA, HANOI_OPERA, monday)

    assert early.warnings == []
    assert [w.key for w in late.warnings] == ["near"]
    assert "ngoài giờ mở cửa" in late.warnings[0].message or "outside" in late.warnings[0].message
    assert [w.key for w in closed.warnings] == ["shut"]
    assert late.arrivals[1] > monday + dt.timedelta(hours=10)


def test_a_visit_running_past_closing_is_flagged():
    monday = timezone.make_aware(dt.datetime(2027, 1, 4, 10, 0))
    stop = PlanStop(
        key="c", latitude=21.03, longitude=105.86, minutes=120, hours=((0, dt.time(8), dt.time(11)),)
    )
    plan = planner.timeline([stop], HANOI_OPERA, HANOI_OPERA, monday)
    assert [w.key for w in plan.warnings] == ["c"]
