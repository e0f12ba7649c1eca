"""The visits API: POST /api/v1/tours/visits scans a ticket at a center (Idempotency-Key replays,
already checked in, refusals, another center's 404); GET lists the visits with their attributed
sales, scoped by role, in a fixed number of queries."""

import pytest
import time_machine
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.tours.models import Visit, VisitTicket

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import visits_world as vw
from . import world as w

pytestmark = pytest.mark.django_db
URL = "/api/v1/tours/visits"


@pytest.fixture
def world(loaded_places):
    return vw.build(minutes=60)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, body: dict, key: str | None = None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, body, content_type="application/json", **headers)


def test_scan_records_the_visit_and_a_replay_with_the_key_answers_the_same(world):
    client = client_of(world.shop.staff_a)
    body = {"center_id": world.center.pk, "code": world.booking.code}
    with time_machine.travel(vw.today_at(10), tick=False):
        first = _post(client, body, "k-1")
        replay = _post(client, body, "k-1")
        again = _post(client, body)
        other_body = _post(client, {**body, "code": "TKHAC"}, "k-1")
    assert first.status_code == 201, first.content
    assert first.json()["visit"]["heads"] == 2 and first.json()["visit"]["center_id"] == world.center.pk
    assert replay.status_code == 200 and replay.json() == first.json()
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_checked_in"
    assert other_body.status_code == 422
    assert Visit.objects.count() == 1 and VisitTicket.objects.count() == 1


def test_refusals_write_nothing(world):
    unpaid = vw.booked(world.departure)
    with time_machine.travel(vw.today_at(10), tick=False):
        staff_a, staff_b = client_of(world.shop.staff_a), client_of(world.shop.staff_b)
        assert _post(staff_a, {"center_id": world.center.pk, "code": "TKHONGCO"}).status_code == 404
        assert (
            _post(staff_a, {"center_id": world.center.pk, "code": unpaid.code}).json()["error"]["code"]
            == "not_paid"
        )
        wrong = _post(staff_b, {"center_id": world.shop.center_b.pk, "code": world.booking.code})
        assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "other_center"
        assert _post(staff_b, {"center_id": world.center.pk, "code": world.booking.code}).status_code == 404
    with time_machine.travel(vw.today_at(10, days=1), tick=False):
        late = _post(staff_a, {"center_id": world.center.pk, "code": world.booking.code})
        assert late.status_code == 422 and late.json()["error"]["code"] == "wrong_day"
    assert not Visit.objects.exists()


def test_the_list_is_scoped_by_role_with_attributed_sales(world):
    vw.scan(world, vw.today_at(10))
    sale = vw.sell_at(world.shop, vw.today_at(10, 30))
    member = make_user(Role.OPERATOR_MEMBER, scope_id=world.operator.pk)
    stranger = make_user(Role.OPERATOR_MEMBER, scope_id=w.operator().pk)
    mine = client_of(world.shop.staff_a).get(URL).json()
    assert mine["count"] == 1 and mine["items"][0]["sales_total"] == sale.total
    assert client_of(member).get(URL).json()["count"] == 1
    assert client_of(make_user(Role.TOURISM)).get(URL).json()["count"] == 1
    assert client_of(stranger).get(URL).json()["count"] == 0
    assert client_of(world.shop.staff_b).get(URL).json()["count"] == 0
    assert Client().get(URL).status_code == 401


def test_the_list_runs_fixed_queries(world):
    client = client_of(world.shop.staff_a)
    hour = iter(range(9, 20))

    def grow(n: int) -> None:
        for _ in range(n):
            tour = w.tour(
                world.operator, stops=[{"kind": "center", "center": world.center.pk, "minutes": 30}]
            )
            booking = vw.paid(vw.departure_on(tour, vw.today_at(8)))
            at = vw.today_at(next(hour, 20))
            vw.scan(world, at, booking.code)
            vw.sell_at(world.shop, at)

    assert_fixed_queries(lambda: client.get(URL), grow, steps=(2, 5))
