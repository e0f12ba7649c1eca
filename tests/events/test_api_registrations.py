"""The events API, registrations: a guest's or a customer's registration with Idempotency-Key, the
ticket by its code, cancelling, the staff's payments and lists, the waiting list, check-in at the door
and head counts; for the allowed role, a peer center's staff (404) and an anonymous visitor."""

import datetime as dt

import pytest
from django.utils import timezone

from ocophub.accounts.models import Role
from ocophub.common.models import IdempotencyRecord
from ocophub.events import services
from ocophub.events.models import (
    CheckIn,
    Payment,
    Registration,
    RegistrationState,
    Session,
    WaitlistEntry,
)

from ..conftest import make_user
from . import world as w

pytestmark = pytest.mark.django_db

BASE = "/api/v1/events"
MISSING_OR_WRONG = "Một số thông tin còn thiếu hoặc chưa đúng."


@pytest.fixture
def place():
    a, b = w.center("Trung tâm Bát Tràng"), w.center("Trung tâm Vạn Phúc")
    workshop = w.event(a, title="Tự tay nặn gốm")
    return {
        "a": a,
        "b": b,
        "staff_a": make_user(Role.CENTER_STAFF, scope_id=a.pk),
        "staff_b": make_user(Role.CENTER_STAFF, scope_id=b.pk),
        "city": make_user(Role.CITY_ADMIN),
        "customer": make_user(Role.CUSTOMER),
        "event": workshop,
        "paid": w.session(workshop, seats=10, price=150_000),
        "free": w.session(workshop, seats=3, price=0, days=12),
        "at_b": w.session(w.event(b, title="Dệt lụa"), seats=5, price=0),
    }


def _body(session, **more):
    return {
        "session_id": session.pk,
        "party_size": 2,
        "name": "Nguyễn Thị Hoa",
        "email": "hoa@example.vn",
        "phone": "0912 345 678",
        "payment_method": "vietqr",
        **more,
    }


def _state(session):
    return Registration.objects.filter(session=session).count(), w.counters(session)


# --- registering -----------------------------------------------------------------------------------


def test_a_guest_registers_for_a_paid_session_and_the_seats_are_held(api, place):
    response = api.call("post", f"{BASE}/registrations", _body(place["paid"]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "held" and body["amount"] == 300_000 and body["due"] == 300_000
    assert body["expires_at"] is not None and body["session"]["id"] == place["paid"].pk
    assert Registration.objects.get(code=body["code"]).customer is None
    assert w.counters(place["paid"]) == (10, 2, 0, 0)


def test_a_customer_registers_for_a_free_session_and_it_is_confirmed(api, place):
    response = api.as_user(place["customer"]).call("post", f"{BASE}/registrations", _body(place["free"]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "confirmed" and body["amount"] == 0 and body["payment_method"] == ""
    assert Registration.objects.get(code=body["code"]).customer == place["customer"]


def test_the_same_idempotency_key_and_body_give_the_first_registration_again(api, place):
    headers = {"Idempotency-Key": "dang-ky-1"}
    first = api.call("post", f"{BASE}/registrations", _body(place["paid"]), headers=headers)
    again = api.call("post", f"{BASE}/registrations", _body(place["paid"]), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert _state(place["paid"]) == (1, (10, 2, 0, 0))


def test_the_same_idempotency_key_with_another_body_is_refused_and_writes_nothing(api, place):
    headers = {"Idempotency-Key": "dang-ky-2"}
    assert api.call("post", f"{BASE}/registrations", _body(place["paid"]), headers=headers).status_code == 201
    records = IdempotencyRecord.objects.count()
    other = api.call("post", f"{BASE}/registrations", _body(place["paid"], party_size=3), headers=headers)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert other.json()["error"]["message"] == "Idempotency-Key này đã được dùng cho một yêu cầu khác."
    assert _state(place["paid"]) == (1, (10, 2, 0, 0))
    assert IdempotencyRecord.objects.count() == records


def _started(session):
    start = timezone.now() - dt.timedelta(hours=1)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=2))


@pytest.mark.parametrize(
    "change, field, status",
    [
        ({"party_size": 0}, "party_size", 422),
        ({"party_size": -2}, "party_size", 422),
        ({"party_size": 11}, "party_size", 422),  # more than the session's 10 seats
        ({"party_size": 2.5}, "party_size", 422),
        ({"party_size": True}, "party_size", 422),
        ({"email": "khong-phai-email"}, "email", 422),
        ({"name": "  "}, "name", 422),
        ({"phone": "123"}, "phone", 422),
        ({"payment_method": "cash"}, "payment_method", 422),
        ({"session_id": 999_999}, "session_id", 404),
        ({"past": True}, "session_id", 422),
    ],
)
def test_a_bad_registration_is_refused_in_vietnamese_and_nothing_is_written(
    api, place, change, field, status
):
    session = place["paid"]
    if change.pop("past", None):
        _started(session)
    before = _state(session)
    response = api.call("post", f"{BASE}/registrations", _body(session, **change))
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert field in error["fields"], error
    assert not error["message"].isascii(), error  # Vietnamese, with its diacritics
    assert _state(session) == before


def test_a_party_of_zero_is_told_in_vietnamese(api, place):
    response = api.call("post", f"{BASE}/registrations", _body(place["paid"], party_size=0))
    error = response.json()["error"]
    assert error["message"] == MISSING_OR_WRONG
    assert error["fields"]["party_size"] == "Số người phải là số nguyên lớn hơn 0."


def test_a_session_that_started_is_told_in_vietnamese(api, place):
    _started(place["paid"])
    response = api.call("post", f"{BASE}/registrations", _body(place["paid"]))
    assert response.json()["error"]["fields"]["session_id"] == "Buổi này đã bắt đầu hoặc đã kết thúc."


def test_the_same_contact_twice_is_a_conflict(api, place):
    assert api.call("post", f"{BASE}/registrations", _body(place["paid"])).status_code == 201
    again = api.call("post", f"{BASE}/registrations", _body(place["paid"], email="HOA@example.vn"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_registered"
    assert _state(place["paid"]) == (1, (10, 2, 0, 0))


def test_a_draft_events_session_takes_no_registration(api, place):
    draft = w.event(place["a"], publish=False)
    session = w.session(draft)
    response = api.call("post", f"{BASE}/registrations", _body(session))
    assert response.status_code == 422 and "session_id" in response.json()["error"]["fields"]
    assert _state(session)[0] == 0


def test_a_full_session_says_join_the_waiting_list(api, place):
    w.register(place["free"], 3)
    response = api.call("post", f"{BASE}/registrations", _body(place["free"], party_size=1))
    assert response.status_code == 409 and response.json()["error"]["code"] == "full"
    assert "danh sách chờ" in response.json()["error"]["message"]


# --- the ticket by its code ------------------------------------------------------------------------


def test_the_ticket_is_read_by_its_code_in_one_query(api, place, django_assert_num_queries):
    registration = w.register(place["paid"], 2)
    with django_assert_num_queries(1):
        response = api.call("get", f"{BASE}/registrations/{registration.code}")
    assert response.status_code == 200
    assert response.json()["code"] == registration.code and response.json()["party_size"] == 2
    spaced = "-".join([registration.code[:4], registration.code[4:8], registration.code[8:]]).lower()
    assert api.call("get", f"{BASE}/registrations/{spaced}").json()["code"] == registration.code
    assert api.call("get", f"{BASE}/registrations/KHONGCOVENAY").status_code == 404


def test_the_holder_of_the_code_cancels_and_the_seats_go_back(api, place):
    registration = w.register(place["paid"], 2)
    response = api.call("post", f"{BASE}/registrations/{registration.code}/cancel", {"reason": "Bận việc"})
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    assert w.counters(place["paid"]) == (10, 0, 0, 0)
    again = api.call("post", f"{BASE}/registrations/{registration.code}/cancel", {})
    assert again.status_code == 409


def test_cancelling_after_the_session_started_is_refused(api, place):
    registration = w.register(place["paid"], 2, method="door")
    _started(place["paid"])
    response = api.call("post", f"{BASE}/registrations/{registration.code}/cancel", {})
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "Buổi đã bắt đầu: không thể hủy đăng ký nữa."
    assert Registration.objects.get(pk=registration.pk).state == RegistrationState.CONFIRMED


# --- payments and the staff's list -----------------------------------------------------------------


def test_staff_record_a_transfer_and_a_door_payment(api, place):
    staff = api.as_user(place["staff_a"])
    transfer = w.register(place["paid"], 2)
    paid = staff.call(
        "post", f"{BASE}/registrations/{transfer.code}/payments", {"method": "vietqr", "reference": "FT1"}
    )
    assert paid.status_code == 200, paid.content
    assert (paid.json()["state"], paid.json()["paid"], paid.json()["due"]) == ("confirmed", 300_000, 0)
    door = w.register(place["paid"], 1, method="door")
    at_door = staff.call("post", f"{BASE}/registrations/{door.code}/payments", {"method": "door"})
    assert at_door.status_code == 200 and at_door.json()["paid"] == 150_000
    payments = Payment.objects.count()
    twice = staff.call("post", f"{BASE}/registrations/{door.code}/payments", {"method": "door"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "nothing_due"
    assert Payment.objects.count() == payments


def test_a_peer_center_or_an_anonymous_caller_records_no_payment(api, place):
    registration = w.register(place["paid"], 2)
    url = f"{BASE}/registrations/{registration.code}/payments"
    assert api.as_user(place["staff_b"]).call("post", url, {"method": "vietqr"}).status_code == 404
    assert api.as_user(None).call("post", url, {"method": "vietqr"}).status_code == 401
    assert api.as_user(place["customer"]).call("post", url, {"method": "vietqr"}).status_code == 404
    assert not Payment.objects.exists()


def test_staff_list_a_sessions_registrations_in_two_queries(api, place, django_assert_num_queries):
    for party in (1, 2, 3):
        w.register(place["paid"], party, method="door")
    url = f"{BASE}/sessions/{place['paid'].pk}/registrations"
    client = api.as_user(place["staff_a"])
    client.call("get", url)  # the token's first use writes its last-used time
    with django_assert_num_queries(5):  # the token, its grants, the session, the count, the page
        response = client.call("get", url)
    assert response.status_code == 200 and response.json()["count"] == 3
    assert api.as_user(place["staff_b"]).call("get", url).status_code == 404
    assert api.as_user(None).call("get", url).status_code == 401


# --- the waiting list ------------------------------------------------------------------------------


def test_a_waiting_party_is_offered_a_freed_seat_and_takes_it_with_the_code(api, place):
    session = place["free"]
    taken = w.register(session, 3)
    joined = api.call(
        "post",
        f"{BASE}/sessions/{session.pk}/waitlist",
        {"party_size": 2, "name": "Phạm Minh", "email": "minh@example.vn"},
    )
    assert joined.status_code == 201, joined.content
    assert (joined.json()["state"], joined.json()["position"], joined.json()["offer_code"]) == (
        "waiting",
        1,
        None,
    )
    twice = api.call(
        "post",
        f"{BASE}/sessions/{session.pk}/waitlist",
        {"party_size": 1, "name": "Minh", "email": "minh@example.vn"},
    )
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_waiting"
    assert api.call("post", f"{BASE}/registrations/{taken.code}/cancel", {}).status_code == 200
    entry = WaitlistEntry.objects.get(pk=joined.json()["id"])
    assert entry.state == "offered" and entry.registration is not None
    accepted = api.call("post", f"{BASE}/registrations/{entry.registration.code}/accept", {})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "confirmed" and accepted.json()["party_size"] == 2
    assert api.call("post", f"{BASE}/registrations/{taken.code}/accept", {}).status_code == 409


def test_a_bad_waiting_party_is_refused_and_nothing_is_written(api, place):
    session = place["free"]
    for wrong in ({"party_size": 0}, {"party_size": 4}, {"email": "x"}):
        body = {"party_size": 1, "name": "Minh", "email": "minh@example.vn", **wrong}
        response = api.call("post", f"{BASE}/sessions/{session.pk}/waitlist", body)
        assert response.status_code == 422, (wrong, response.content)
    assert (
        api.call(
            "post", f"{BASE}/sessions/999999/waitlist", {"party_size": 1, "name": "a", "email": "a@b.vn"}
        ).status_code
        == 404
    )
    assert not WaitlistEntry.objects.exists()


# --- check-in --------------------------------------------------------------------------------------


def test_a_ticket_is_checked_in_once_and_the_second_scan_is_already_checked_in(api, place):
    registration = w.register(place["paid"], 2, method="door")
    staff = api.as_user(place["staff_a"])
    body = {"code": registration.code.lower(), "center_id": place["a"].pk}
    first = staff.call("post", f"{BASE}/check-ins", body)
    assert first.status_code == 201, first.content
    assert first.json()["heads"] == 2 and first.json()["registration"]["paid"] == 300_000
    second = staff.call("post", f"{BASE}/check-ins", body)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_checked_in"
    assert second.json()["error"]["message"].startswith("Đã điểm danh")
    assert CheckIn.objects.filter(registration=registration).count() == 1
    assert w.counters(place["paid"]) == (10, 0, 2, 2)
    assert Payment.objects.filter(registration=registration).count() == 1


def test_a_ticket_of_another_center_is_refused_and_nothing_is_written(api, place):
    at_b = w.register(place["at_b"], 1)
    response = api.as_user(place["staff_a"]).call(
        "post", f"{BASE}/check-ins", {"code": at_b.code, "center_id": place["a"].pk}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "other_center"
    assert response.json()["error"]["message"] == "Vé này thuộc sự kiện của trung tâm khác."
    assert not CheckIn.objects.exists()


def test_check_in_at_a_center_one_does_not_work_at_is_not_found(api, place):
    registration = w.register(place["paid"], 1, method="door")
    body = {"code": registration.code, "center_id": place["a"].pk}
    assert api.as_user(place["staff_b"]).call("post", f"{BASE}/check-ins", body).status_code == 404
    assert api.as_user(None).call("post", f"{BASE}/check-ins", body).status_code == 401
    unpaid = w.register(place["paid"], 1)
    not_paid = api.as_user(place["staff_a"]).call(
        "post", f"{BASE}/check-ins", {"code": unpaid.code, "center_id": place["a"].pk}
    )
    assert not_paid.status_code == 409 and not_paid.json()["error"]["code"] == "not_paid"
    assert not CheckIn.objects.exists()


# --- head counts -----------------------------------------------------------------------------------


def _checked_in(place):
    for session, staff, party in ((place["paid"], "staff_a", 2), (place["at_b"], "staff_b", 3)):
        registration = w.register(session, party, method="door")
        services.check_in_by_code(actor=place[staff], code=registration.code, center=session.event.center)


def test_head_counts_per_center_day_and_session_for_each_scope(api, place):
    _checked_in(place)
    mine = api.as_user(place["staff_a"]).call("get", f"{BASE}/heads")
    assert mine.status_code == 200
    assert mine.json()["total"] == 2 and [c["center"]["id"] for c in mine.json()["per_center"]] == [
        place["a"].pk
    ]
    assert mine.json()["per_day"] == [{"day": timezone.localdate().isoformat(), "heads": 2}]
    assert [s["session_id"] for s in mine.json()["per_session"]] == [place["paid"].pk]
    city = api.as_user(place["city"]).call("get", f"{BASE}/heads")
    assert city.json()["total"] == 5 and len(city.json()["per_center"]) == 2
    assert (
        api.as_user(place["staff_b"]).call("get", f"{BASE}/heads?center_id={place['a'].pk}").status_code
        == 404
    )
    assert api.as_user(place["customer"]).call("get", f"{BASE}/heads").status_code == 403
    assert api.as_user(None).call("get", f"{BASE}/heads").status_code == 401


def test_head_counts_over_a_bad_range_are_refused(api, place):
    staff = api.as_user(place["staff_a"])
    assert staff.call("get", f"{BASE}/heads?from=2026-01-01&to=2026-12-31").status_code == 422
    assert staff.call("get", f"{BASE}/heads?from=2026-03-02&to=2026-03-01").status_code == 422


def test_head_counts_take_fixed_queries(api, place, django_assert_num_queries):
    _checked_in(place)
    client = api.as_user(place["city"])
    client.call("get", f"{BASE}/heads")
    with django_assert_num_queries(5):  # the token, its grants, per center, per day, per session
        assert client.call("get", f"{BASE}/heads").status_code == 200


def test_the_offer_email_carries_the_code_that_takes_the_offer(
    api, place, django_capture_on_commit_callbacks, mailoutbox
):
    session = place["free"]
    taken = w.register(session, 3)
    services.waitlist_join(actor=None, session=session, party_size=1, name="Bà Hoa", email="hoa@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        assert api.call("post", f"{BASE}/registrations/{taken.code}/cancel", {}).status_code == 200
    offer = next(m for m in mailoutbox if m.to == ["hoa@example.vn"])
    code = WaitlistEntry.objects.get(email="hoa@example.vn").registration.code
    assert f"Mã vé: {code}" in offer.body
    assert api.call("post", f"{BASE}/registrations/{code}/accept", {}).json()["state"] == "confirmed"


def test_a_transfer_not_made_is_paid_at_the_door_and_confirmed(api, place):
    held = w.register(place["paid"], 2)
    response = api.as_user(place["staff_a"]).call(
        "post", f"{BASE}/registrations/{held.code}/payments", {"method": "door"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["paid"], response.json()["due"]) == (
        "confirmed",
        300_000,
        0,
    )
    assert w.counters(place["paid"]) == (10, 0, 2, 0)
    assert Payment.objects.get(registration=held).method == "door"


def test_a_cancelled_registration_takes_no_payment(api, place):
    held = w.register(place["paid"], 2)
    services.registration_cancel(actor=None, registration=held)
    for method in ("vietqr", "door"):
        response = api.as_user(place["staff_a"]).call(
            "post", f"{BASE}/registrations/{held.code}/payments", {"method": method}
        )
        assert response.status_code == 409, (method, response.content)
    assert not Payment.objects.exists()


@pytest.mark.parametrize("body", ["[null, null]", "[]", "1", '"x"', "null", "true"])
def test_a_body_that_is_not_an_object_is_refused_and_writes_nothing(api, place, body):
    staff = api.as_user(place["staff_a"])
    for path in (
        f"{BASE}/registrations",
        f"{BASE}/check-ins",
        f"{BASE}/sessions/{place['paid'].pk}/waitlist",
    ):
        response = staff.generic(
            "POST", path, body, content_type="application/json", headers=staff.headers_for
        )
        assert response.status_code == 422, (path, response.content)
        assert "body" in response.json()["error"]["fields"]
    assert not Registration.objects.filter(session=place["paid"]).exists()
    assert not WaitlistEntry.objects.exists() and not CheckIn.objects.exists()
