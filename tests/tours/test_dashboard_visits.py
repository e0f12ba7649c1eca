"""The city dashboard's tour visitors panel (through programme.selectors.DASHBOARD_PANELS): people of
the tour groups scanned at each center over the 30 days ending on the dashboard's day, per operator
and per day; a fixed number of queries whatever the number of visits."""

import pytest
from django.test import Client
from django.utils import timezone

from ocophub.tours import services

from ..helpers import assert_fixed_queries
from . import world as w

pytestmark = pytest.mark.django_db
PANEL = "tours/_dashboard_visits.html"


def _visit(center, op=None, adults: int = 2):
    departure = w.departure(
        w.tour(op, stops=[{"kind": "center", "center": center.pk, "minutes": 60}]), days=3
    )
    booking = w.book(departure, adults)
    services.booking_pay(actor=None, booking=booking)
    services.visit_check_in(actor=None, center=center, code=booking.code, now=departure.starts_at)
    return departure


def _day(departure) -> str:
    return f"{timezone.localtime(departure.starts_at):%d/%m/%Y}"


def test_the_dashboard_counts_tour_visitors_per_center_operator_and_day(client: Client, network, city_admin):
    at_a = w.center("Trung tâm OCOP Bát Tràng")
    at_b = w.center("Trung tâm lụa Vạn Phúc")
    op = w.operator(name="Lữ hành Hồng Hà")
    departure = _visit(at_a, op, adults=3)
    _visit(at_a, op, adults=2)
    _visit(at_b, adults=4)
    client.force_login(city_admin)
    response = client.get(f"/ke-hoach/?date={_day(departure)}")
    assert response.status_code == 200
    panel = dict(response.context["panels"])[PANEL]
    assert {name: heads for (name, _slug), heads in panel["centers"]} == {at_a.name: 5, at_b.name: 4}
    assert dict(panel["operators"])["Lữ hành Hồng Hà"] == 5
    assert panel["days"] == [(timezone.localtime(departure.starts_at).date(), 9)]
    html = response.content.decode()
    assert 'data-testid="dashboard-tour-visits"' in html and "<svg" in html


def test_visits_outside_the_thirty_days_are_not_counted(client: Client, network, city_admin):
    departure = _visit(w.center())
    client.force_login(city_admin)
    later = timezone.localtime(departure.starts_at).date() + timezone.timedelta(days=31)
    panel = dict(client.get(f"/ke-hoach/?date={later:%d/%m/%Y}").context["panels"])[PANEL]
    assert panel["centers"] == [] and panel["heads"] == 0


def test_the_panel_is_a_fixed_number_of_queries(client: Client, network, city_admin):
    client.force_login(city_admin)
    day = f"{w.soon(3):%d/%m/%Y}"

    def grow(n: int) -> None:
        for _ in range(n):
            _visit(w.center(), w.operator())

    assert_fixed_queries(lambda: client.get(f"/ke-hoach/?date={day}"), grow, steps=(1, 4))
