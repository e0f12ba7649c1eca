"""Tours API: an operator member reorders a tour's stops, asks the planner for the shortest order and
applies it; a waiting party or the operator leaves a departure's waiting list. Another operator's tour
or entry is 404 and nothing changes; bad orders are 422 with a Vietnamese message."""

import pytest

from ocophub.accounts.models import Role
from ocophub.tours import services
from ocophub.tours.models import WaitlistEntry, WaitlistState

from ..conftest import make_user
from . import world as w

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tours"


@pytest.fixture
def zigzag():
    """A tour whose three centers are visited far, near, far: the planner puts them near, …, far."""
    op = w.operator()
    near = w.center("Trung tâm gần", "21.030000", "105.860000")
    far = w.center("Trung tâm xa", "20.720000", "105.880000")
    middle = w.center("Trung tâm giữa", "20.880000", "105.867000")
    tour = w.tour(
        op,
        publish=False,
        stops=[
            {"kind": "center", "center": far.pk, "minutes": 60},
            {"kind": "center", "center": near.pk, "minutes": 60},
            {"kind": "center", "center": middle.pk, "minutes": 60},
        ],
    )
    return {
        "tour": tour,
        "member": make_user(Role.OPERATOR_MEMBER, scope_id=op.pk),
        "peer": make_user(Role.OPERATOR_MEMBER, scope_id=w.operator().pk),
        "ids": list(tour.stops.order_by("position").values_list("pk", flat=True)),
    }


def _order(tour) -> list[int]:
    return list(tour.stops.order_by("position").values_list("pk", flat=True))


def test_a_member_reorders_the_stops(api, zigzag):
    tour, ids = zigzag["tour"], zigzag["ids"]
    answer = api.as_user(zigzag["member"]).call("put", f"{BASE}/{tour.pk}/stops/order", {"order": ids[::-1]})
    assert answer.status_code == 200, answer.content
    assert [item["id"] for item in answer.json()["items"]] == ids[::-1]
    assert [item["position"] for item in answer.json()["items"]] == [1, 2, 3]
    assert _order(tour) == ids[::-1]


@pytest.mark.parametrize("order", [[], "dupe", "missing", "unknown"])
def test_a_bad_order_is_422_in_vietnamese_and_nothing_moves(api, zigzag, order):
    tour, ids = zigzag["tour"], zigzag["ids"]
    bodies = {"dupe": [ids[0], ids[0], ids[1]], "missing": ids[:2], "unknown": [*ids[:2], 999_999]}
    body = bodies[order] if isinstance(order, str) else order
    answer = api.as_user(zigzag["member"]).call(
        "put", f"{BASE}/{tour.pk}/stops/order", {"order": body}, headers={"Accept-Language": "vi"}
    )
    assert answer.status_code == 422
    assert "Hãy liệt kê mỗi điểm dừng của tour đúng một lần." in answer.json()["error"]["fields"]["order"]
    assert _order(tour) == ids


def test_another_operators_tour_is_404_and_untouched(api, zigzag):
    tour, ids = zigzag["tour"], zigzag["ids"]
    peer = api.as_user(zigzag["peer"])
    assert peer.call("put", f"{BASE}/{tour.pk}/stops/order", {"order": ids[::-1]}).status_code == 404
    assert peer.call("get", f"{BASE}/{tour.pk}/plan").status_code == 404
    assert peer.call("post", f"{BASE}/{tour.pk}/plan/apply").status_code == 404
    assert _order(tour) == ids


def test_the_planner_proposes_the_shorter_order_and_applies_it(api, zigzag):
    tour, ids = zigzag["tour"], zigzag["ids"]
    member = api.as_user(zigzag["member"])
    plan = member.call("get", f"{BASE}/{tour.pk}/plan")
    assert plan.status_code == 200, plan.content
    body = plan.json()
    assert body["changed"] and body["exact"]
    assert sorted(body["order"]) == sorted(ids) and body["order"] != ids
    assert body["proposed_travel_minutes"] + body["saved_minutes"] == body["current_travel_minutes"]
    assert body["saved_minutes"] > 0
    applied = member.call("post", f"{BASE}/{tour.pk}/plan/apply")
    assert applied.status_code == 200
    assert _order(tour) == body["order"]
    # applied once, the order is as short as it gets
    assert member.call("get", f"{BASE}/{tour.pk}/plan").json()["changed"] is False


def test_without_the_meeting_point_the_planner_is_422_and_nothing_moves(api, zigzag):
    tour, ids = zigzag["tour"], zigzag["ids"]
    services.tour_update(actor=None, tour=tour, meeting_latitude=None, meeting_longitude=None)
    member = api.as_user(zigzag["member"])
    answer = member.call("post", f"{BASE}/{tour.pk}/plan/apply", headers={"Accept-Language": "vi"})
    assert answer.status_code == 422
    assert "meeting_latitude" in answer.json()["error"]["fields"]
    assert _order(tour) == ids


def _waiting(customer=None):
    departure = w.departure(w.tour(), seats=2)
    w.book(departure, 2)
    return services.waitlist_join(
        actor=customer,
        departure=departure,
        adults=1,
        name="Chờ chỗ",
        email="cho@example.vn",
        customer=customer,
    )


def test_the_customer_who_joined_leaves_the_waiting_list(api):
    customer = make_user(Role.CUSTOMER)
    entry = _waiting(customer)
    answer = api.as_user(customer).call("post", f"{BASE}/waitlist/{entry.pk}/leave")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == WaitlistState.LEFT
    entry.refresh_from_db()
    assert entry.state == WaitlistState.LEFT
    # twice: the entry has left already
    again = api.as_user(customer).call("post", f"{BASE}/waitlist/{entry.pk}/leave")
    assert again.status_code == 409


def test_the_operators_member_takes_an_entry_off_but_nobody_else(api):
    entry = _waiting()
    operator = entry.departure.tour.operator
    stranger = make_user(Role.CUSTOMER)
    peer = make_user(Role.OPERATOR_MEMBER, scope_id=w.operator().pk)
    for user in (stranger, peer):
        assert api.as_user(user).call("post", f"{BASE}/waitlist/{entry.pk}/leave").status_code == 404
    assert api.as_user(None).call("post", f"{BASE}/waitlist/{entry.pk}/leave").status_code == 401
    assert WaitlistEntry.objects.get(pk=entry.pk).state == WaitlistState.WAITING
    member = make_user(Role.OPERATOR_MEMBER, scope_id=operator.pk)
    assert api.as_user(member).call("post", f"{BASE}/waitlist/{entry.pk}/leave").status_code == 200
    assert WaitlistEntry.objects.get(pk=entry.pk).state == WaitlistState.LEFT


def test_by_slug_plan_is_a_slug_not_the_planner(client):
    # /tours/by-slug/{slug} comes before /tours/{tour_id}/plan: an unknown slug is 404 to anyone,
    # never the planner's 401
    response = client.get("/api/v1/tours/by-slug/plan")
    assert response.status_code == 404, response.content
