"""Visits recorded when a center's staff scan tour tickets: once per departure and center, each
ticket once; the refusals; counter sales attributed to the visit window (the latest arrival before
the sale when windows overlap); the commission due per operator and month."""

import datetime as dt

import pytest
import time_machine

from ocophub.common.errors import DomainError
from ocophub.tours import selectors_visits as sv
from ocophub.tours import services
from ocophub.tours.models import Visit, VisitTicket

from . import visits_world as vw
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return vw.build(minutes=60)


def _refused(call) -> DomainError:
    before = (Visit.objects.count(), VisitTicket.objects.count())
    with pytest.raises(DomainError) as caught:
        call()
    assert (Visit.objects.count(), VisitTicket.objects.count()) == before
    return caught.value


def test_first_scan_opens_the_visit_with_the_stops_window(world):
    ticket = vw.scan(world, vw.today_at(10))
    visit = ticket.visit
    assert (visit.departure, visit.center, visit.operator) == (world.departure, world.center, world.operator)
    assert visit.arrived_at == vw.today_at(10)
    assert visit.ends_at == vw.today_at(11)
    assert visit.heads == 2
    assert visit.recorded_by == world.shop.staff_a


def test_a_second_ticket_of_the_group_joins_the_visit_and_adds_its_heads(world):
    vw.scan(world, vw.today_at(10))
    other = vw.paid(world.departure, adults=1, children=2)
    vw.scan(world, vw.today_at(10, 20), other.code)
    visit = Visit.objects.get()
    assert visit.heads == 5
    assert visit.ends_at == vw.today_at(11)  # the window runs from the first scan
    assert VisitTicket.objects.filter(visit=visit).count() == 2


def test_a_second_scan_of_the_same_ticket_says_already_checked_in_and_writes_nothing(world):
    vw.scan(world, vw.today_at(10))
    error = _refused(lambda: vw.scan(world, vw.today_at(10, 5)))
    assert error.code == "already_checked_in" and error.status == 409
    assert Visit.objects.get().heads == 2


def test_unknown_code_is_404(world):
    assert _refused(lambda: vw.scan(world, vw.today_at(10), "TKHONGCOMA")).status == 404
    assert _refused(lambda: vw.scan(world, vw.today_at(10), "  ")).status == 400


def test_a_ticket_of_a_tour_that_does_not_visit_the_center_is_refused(world):
    error = _refused(
        lambda: vw.scan(world, vw.today_at(10), center=world.shop.center_b, actor=world.shop.staff_b)
    )
    assert error.code == "other_center" and error.status == 400
    assert "does not visit" in str(error.message) or "không ghé" in str(error.message)


def test_an_unpaid_booking_is_refused(world):
    unpaid = vw.booked(world.departure)
    assert _refused(lambda: vw.scan(world, vw.today_at(7, 30), unpaid.code)).code == "not_paid"


def test_a_cancelled_departure_is_refused(world):
    with time_machine.travel(vw.today_at(7), tick=False):
        services.departure_cancel(actor=None, departure=world.departure, reason="Bão")
    assert _refused(lambda: vw.scan(world, vw.today_at(10))).code in ("cancelled", "state_cancelled")


def test_a_scan_on_another_day_is_refused(world):
    error = _refused(lambda: vw.scan(world, vw.today_at(10, days=1)))
    assert error.code == "wrong_day"
    assert _refused(lambda: vw.scan(world, vw.today_at(23, 59, days=-1))).code == "wrong_day"


def test_a_sale_during_the_visit_is_attributed_and_those_outside_are_not(world):
    visit = vw.scan(world, vw.today_at(10)).visit
    during = vw.sell_at(world.shop, vw.today_at(10, 30), 2)
    vw.sell_at(world.shop, vw.today_at(9, 59))  # before the group came
    vw.sell_at(world.shop, vw.today_at(11))  # the window has closed
    vw.sell_at(world.shop, vw.today_at(10, 30), center=world.shop.center_b)  # another center
    assert list(sv.attributed_sales(visit)) == [during]
    rows = sv.month_visits(vw.today_at(10).date().replace(day=1), center_ids=[world.center.pk])
    assert [(r.visit, r.sales, r.total) for r in rows] == [(visit, 1, during.total)]


def test_overlapping_windows_give_the_sale_to_the_latest_arrival_before_it(world):
    first = vw.scan(world, vw.today_at(10)).visit
    other_tour = w.tour(w.operator(), stops=[{"kind": "center", "center": world.center.pk, "minutes": 60}])
    other_departure = vw.departure_on(other_tour, vw.today_at(9))
    other_booking = vw.paid(other_departure, adults=3)
    second = vw.scan(world, vw.today_at(10, 30), other_booking.code).visit
    early = vw.sell_at(world.shop, vw.today_at(10, 15))  # only the first group is there
    late = vw.sell_at(world.shop, vw.today_at(10, 45))  # both: the one that came last
    tail = vw.sell_at(world.shop, vw.today_at(11, 10))  # the first window closed
    assert list(sv.attributed_sales(first)) == [early]
    assert list(sv.attributed_sales(second)) == [late, tail]
    sold = sv.sales_of_visits([first, second])
    assert sold == {first.pk: (1, early.total), second.pk: (2, late.total + tail.total)}


def test_commission_uses_the_rate_in_force_and_rounds_half_up_once(world):
    day = vw.today_at(10).date()
    services.commission_rate_set(
        actor=world.shop.manager_a,
        center=world.center,
        operator=world.operator,
        basis_points=250,
        starts_on=day - dt.timedelta(days=40),
    )
    services.commission_rate_set(
        actor=world.shop.manager_a,
        center=world.center,
        operator=world.operator,
        basis_points=1_000,
        starts_on=day + dt.timedelta(days=1),
    )
    vw.scan(world, vw.today_at(10))
    sale = vw.sell_at(world.shop, vw.today_at(10, 30), 3)
    [line] = sv.statement(sv.month_visits(day.replace(day=1), operator_ids=[world.operator.pk]))
    assert (line.visits, line.heads, line.sales) == (1, 2, sale.total)
    assert line.basis_points == {250}
    assert line.commission == (sale.total * 250 + 5_000) // 10_000
    assert sv.round_commission(15_000) == 2 and sv.round_commission(14_999) == 1


def test_a_commission_rate_out_of_range_is_refused(world):
    for bad in (-1, 10_001, "5", 2.5, True):
        with pytest.raises(DomainError) as caught:
            services.commission_rate_set(
                actor=None,
                center=world.center,
                operator=world.operator,
                basis_points=bad,
                starts_on=dt.date(2026, 1, 1),
            )
        assert "basis_points" in caught.value.fields
    from ocophub.tours.models import CommissionRate

    assert not CommissionRate.objects.exists()
