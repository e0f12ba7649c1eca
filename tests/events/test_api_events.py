"""The events API, events and sessions: the public lists and details, the staff's writes, free seats
over a date range; for the allowed role, a peer center's staff (404) and an anonymous visitor."""

import datetime as dt

import pytest
from django.utils import timezone

from ocophub.accounts.models import Role
from ocophub.events.models import Event, EventState, Session, SessionState
from ocophub.seats.models import Capacity

from ..conftest import make_user
from . import world as w

pytestmark = pytest.mark.django_db

BASE = "/api/v1/events"
INVALID = "Dữ liệu gửi lên không hợp lệ."
MISSING_OR_WRONG = "Một số thông tin còn thiếu hoặc chưa đúng."


@pytest.fixture
def place():
    """Two centers, each with a staff member; at A a published workshop and a draft exhibition."""
    a, b = w.center("Trung tâm Bát Tràng"), w.center("Trung tâm Vạn Phúc")
    published = w.event(a, title="Tự tay nặn gốm")
    draft = w.event(a, kind="exhibition", title="Triển lãm gốm men lam", publish=False)
    return {
        "a": a,
        "b": b,
        "staff_a": make_user(Role.CENTER_STAFF, scope_id=a.pk),
        "staff_b": make_user(Role.CENTER_STAFF, scope_id=b.pk),
        "published": published,
        "draft": draft,
        "paid": w.session(published, seats=10, price=150_000, days=5),
        "free": w.session(published, seats=6, price=0, days=40),
        "draft_session": w.session(draft, seats=4),
    }


def _ids(response):
    return [item["id"] for item in response.json()["items"]]


# --- lists and details -----------------------------------------------------------------------------


def test_the_public_list_shows_published_events_only_upcoming_first(api, place):
    response = api.call("get", BASE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and _ids(response) == [place["published"].pk]
    item = body["items"][0]
    assert item["state"] == "published" and item["min_price"] == 0
    assert dt.datetime.fromisoformat(item["first_starts_at"]) == place["paid"].starts_at


def test_the_list_filters_by_kind_center_free_and_dates(api, place):
    other = w.event(place["b"], kind="fair", title="Hội chợ lụa")
    w.session(other, price=20_000, days=60)
    assert _ids(api.call("get", f"{BASE}?kind=fair")) == [other.pk]
    assert _ids(api.call("get", f"{BASE}?center_id={place['a'].pk}")) == [place["published"].pk]
    assert _ids(api.call("get", f"{BASE}?free=true")) == [place["published"].pk]
    assert sorted(_ids(api.call("get", f"{BASE}?free=false"))) == sorted([place["published"].pk, other.pk])
    day = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    assert _ids(api.call("get", f"{BASE}?from={day}&to={day}")) == [other.pk]


def test_a_range_ending_before_it_starts_is_refused(api, place):
    response = api.call("get", f"{BASE}?from=2026-05-10&to=2026-05-01")
    assert response.status_code == 422
    assert "to" in response.json()["error"]["fields"]


def test_the_list_takes_two_queries_whatever_the_number_of_events(api, place, django_assert_num_queries):
    for n in range(5):
        w.session(w.event(place["b"], title=f"Trình diễn {n}"))
    with django_assert_num_queries(2):
        response = api.call("get", f"{BASE}?limit=200")
    assert response.json()["count"] == 6


def test_staff_see_their_centers_drafts_and_nobody_else_does(api, place):
    draft = place["draft"]
    assert draft.pk in _ids(api.as_user(place["staff_a"]).call("get", f"{BASE}?limit=200"))
    assert draft.pk not in _ids(api.as_user(place["staff_b"]).call("get", f"{BASE}?limit=200"))
    assert api.as_user(place["staff_a"]).call("get", f"{BASE}/{draft.pk}").status_code == 200
    assert api.as_user(place["staff_b"]).call("get", f"{BASE}/{draft.pk}").status_code == 404
    assert api.as_user(None).call("get", f"{BASE}/{draft.pk}").status_code == 404
    assert api.as_user(None).call("get", f"{BASE}/by-slug/{draft.slug}").status_code == 404


def test_an_event_by_slug_comes_with_its_sessions_and_free_seats(api, place):
    w.register(place["paid"], 3, method="door")
    response = api.call("get", f"{BASE}/by-slug/{place['published'].slug}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == place["published"].pk and body["center"]["id"] == place["a"].pk
    seats = {s["id"]: (s["seats"], s["free_seats"], s["is_free"]) for s in body["sessions"]}
    assert seats == {place["paid"].pk: (10, 7, False), place["free"].pk: (6, 6, True)}
    assert api.call("get", f"{BASE}/{place['published'].pk}").json() == body


def test_an_unknown_or_malformed_event_is_not_found_or_refused(api, place):
    assert api.call("get", f"{BASE}/999999").status_code == 404
    assert api.call("get", f"{BASE}/by-slug/khong-co").status_code == 404
    assert api.call("get", f"{BASE}/abc").status_code == 422


# --- the staff's writes ----------------------------------------------------------------------------


def _new_event(center, **more):
    return {"center_id": center.pk, "kind": "workshop", "title": "Dệt lụa Vạn Phúc", **more}


def test_staff_create_a_draft_event_at_their_center(api, place):
    before = Event.objects.count()
    response = api.as_user(place["staff_a"]).call(
        "post", BASE, _new_event(place["a"], languages=["vi", "en"])
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["state"] == "draft"
        and body["languages"] == ["vi", "en"]
        and body["center"]["id"] == place["a"].pk
    )
    assert Event.objects.count() == before + 1


def test_a_peer_center_or_an_anonymous_caller_creates_nothing(api, place):
    before = Event.objects.count()
    peer = api.as_user(place["staff_b"]).call("post", BASE, _new_event(place["a"]))
    assert peer.status_code == 404 and "center_id" in peer.json()["error"]["fields"]
    assert api.as_user(None).call("post", BASE, _new_event(place["a"])).status_code == 401
    assert Event.objects.count() == before


def test_creating_an_event_replays_with_the_same_idempotency_key(api, place):
    client = api.as_user(place["staff_a"])
    headers = {"Idempotency-Key": "su-kien-1"}
    first = client.call("post", BASE, _new_event(place["a"]), headers=headers)
    again = client.call("post", BASE, _new_event(place["a"]), headers=headers)
    other = client.call("post", BASE, _new_event(place["a"], title="Khác"), headers=headers)
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 422)
    assert again.json() == first.json()
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert Event.objects.filter(title="Dệt lụa Vạn Phúc").count() == 1
    assert not Event.objects.filter(title="Khác").exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"kind": "concert"}, "kind"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"latitude": 21.03, "longitude": 105.85}, "address"),
        ({"latitude": 10.8, "longitude": 106.6, "address": "TP HCM"}, "latitude"),
        ({"languages": []}, "languages"),
        ({"languages": ["xx"]}, "languages"),
        ({"product_ids": [999999]}, "product_ids"),
    ],
)
def test_a_bad_event_is_refused_in_vietnamese_and_nothing_is_written(api, place, fields, field):
    before = Event.objects.count()
    response = api.as_user(place["staff_a"]).call("post", BASE, _new_event(place["a"], **fields))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert field in error["fields"], error
    assert error["message"] in (INVALID, MISSING_OR_WRONG) or field == "product_ids", error
    assert Event.objects.count() == before


def test_staff_edit_publish_and_cancel_their_event(api, place):
    client = api.as_user(place["staff_a"])
    draft = place["draft"]
    edited = client.call("patch", f"{BASE}/{draft.pk}", {"title": "Triển lãm gốm cổ", "address": ""})
    assert edited.status_code == 200 and edited.json()["title"] == "Triển lãm gốm cổ"
    published = client.call("post", f"{BASE}/{draft.pk}/publish")
    assert published.status_code == 200 and published.json()["state"] == "published"
    again = client.call("post", f"{BASE}/{draft.pk}/publish")
    assert again.status_code == 409
    no_reason = client.call("post", f"{BASE}/{draft.pk}/cancel", {"reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["error"]["fields"]
    assert Event.objects.get(pk=draft.pk).state == EventState.PUBLISHED
    cancelled = client.call("post", f"{BASE}/{draft.pk}/cancel", {"reason": "Phòng trưng bày sửa chữa."})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert Session.objects.get(pk=place["draft_session"].pk).state == SessionState.CANCELLED
    assert client.call("patch", f"{BASE}/{draft.pk}", {"title": "Mới"}).status_code == 409


def test_a_peer_center_cannot_touch_an_event(api, place):
    peer = api.as_user(place["staff_b"])
    event = place["published"]
    assert peer.call("patch", f"{BASE}/{event.pk}", {"title": "Của tôi"}).status_code == 404
    assert peer.call("post", f"{BASE}/{event.pk}/cancel", {"reason": "x"}).status_code == 404
    assert peer.call("post", f"{BASE}/{place['draft'].pk}/publish").status_code == 404
    assert api.as_user(None).call("patch", f"{BASE}/{event.pk}", {"title": "x"}).status_code == 401
    assert Event.objects.get(pk=event.pk).title == "Tự tay nặn gốm"


# --- sessions --------------------------------------------------------------------------------------


def _session_body(start=None, **more):
    start = start or w.soon(20)
    return {
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
        "capacity": 12,
        "price": 120_000,
        "makes": "Một chiếc bát men rạn",
        **more,
    }


def test_staff_add_a_session_and_hanoi_time_is_read_without_an_offset(api, place):
    client = api.as_user(place["staff_a"])
    local = w.soon(20).replace(tzinfo=None)
    body = _session_body(w.soon(20))
    body["starts_at"], body["ends_at"] = local.isoformat(), (local + dt.timedelta(hours=2)).isoformat()
    response = client.call("post", f"{BASE}/{place['published'].pk}/sessions", body)
    assert response.status_code == 201, response.content
    made = Session.objects.get(pk=response.json()["id"])
    assert timezone.localtime(made.starts_at).replace(tzinfo=None) == local
    assert response.json()["seats"] == 12 and response.json()["free_seats"] == 12


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"starts_at_days": -1}, "starts_at", "Buổi phải bắt đầu trong tương lai."),
        ({"ends_before": True}, "ends_at", "Giờ kết thúc phải sau giờ bắt đầu."),
        ({"capacity": 0}, "capacity", None),
        ({"price": -1}, "price", None),
        ({"price": 1.5}, "price", None),
        ({"capacity": True}, "capacity", None),
        ({"starts_at": 1_700_000_000}, "starts_at", None),
    ],
)
def test_a_bad_session_is_refused_and_nothing_is_written(api, place, change, field, message):
    body = _session_body()
    if change.pop("starts_at_days", None):
        start = timezone.now() - dt.timedelta(days=1)
        body["starts_at"], body["ends_at"] = start.isoformat(), (start + dt.timedelta(hours=2)).isoformat()
    if change.pop("ends_before", None):
        body["ends_at"] = (w.soon(20) - dt.timedelta(hours=1)).isoformat()
    body.update(change)
    sessions, capacities = Session.objects.count(), Capacity.objects.count()
    response = api.as_user(place["staff_a"]).call("post", f"{BASE}/{place['published'].pk}/sessions", body)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert field in error["fields"], error
    if message:
        assert error["fields"][field] == message
    assert (Session.objects.count(), Capacity.objects.count()) == (sessions, capacities)


def test_recurring_sessions_are_made_all_together_or_not_at_all(api, place):
    client = api.as_user(place["staff_a"])
    url = f"{BASE}/{place['published'].pk}/sessions/recurring"
    body = {
        "rule": {"freq": "weekly", "byweekday": ["SA", "SU"]},
        "starts_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        "start_time": "09:30",
        "duration_minutes": 150,
        "count": 4,
        "capacity": 8,
        "price": 200_000,
    }
    made = client.call("post", url, body)
    assert made.status_code == 201, made.content
    assert made.json()["count"] == 4
    starts = [
        timezone.localtime(s.starts_at)
        for s in Session.objects.filter(pk__in=[i["id"] for i in made.json()["items"]])
    ]
    assert {s.strftime("%a %H:%M") for s in starts} <= {"Sat 09:30", "Sun 09:30"}
    before = Session.objects.count()
    for wrong in (
        {**body, "rule": "KHONG-PHAI-RRULE"},
        {**body, "count": None, "until": None},
        {**body, "starts_on": "2020-01-04"},
        {**body, "until": "2030-01-01"},
    ):
        refused = client.call("post", url, wrong)
        assert refused.status_code == 422, (wrong, refused.content)
    assert Session.objects.count() == before


def test_staff_edit_and_cancel_a_session_and_a_peer_cannot(api, place):
    session = place["paid"]
    peer = api.as_user(place["staff_b"])
    assert peer.call("patch", f"{BASE}/sessions/{session.pk}", {"capacity": 2}).status_code == 404
    assert peer.call("post", f"{BASE}/sessions/{session.pk}/cancel", {"reason": "x"}).status_code == 404
    assert (
        api.as_user(None).call("patch", f"{BASE}/sessions/{session.pk}", {"capacity": 2}).status_code == 401
    )
    client = api.as_user(place["staff_a"])
    w.register(session, 3, method="door")
    too_few = client.call("patch", f"{BASE}/sessions/{session.pk}", {"capacity": 2})
    assert too_few.status_code in (409, 422), too_few.content
    assert w.counters(session)[0] == 10
    grown = client.call("patch", f"{BASE}/sessions/{session.pk}", {"capacity": 15, "makes": "Bình hoa"})
    assert grown.status_code == 200 and grown.json()["seats"] == 15 and grown.json()["free_seats"] == 12
    cancelled = client.call("post", f"{BASE}/sessions/{session.pk}/cancel", {"reason": "Lò nung hỏng."})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert cancelled.json()["free_seats"] == 0


def test_the_sessions_of_an_event_take_four_queries(api, place, django_assert_num_queries):
    for days in range(11, 16):
        w.session(place["published"], days=days)
    with django_assert_num_queries(4):  # the event, the count, the page, their seats
        response = api.call("get", f"{BASE}/{place['published'].pk}/sessions")
    assert response.status_code == 200 and response.json()["count"] == 7
    assert api.call("get", f"{BASE}/{place['draft'].pk}/sessions").status_code == 404
    assert api.call("get", f"{BASE}/sessions/{place['draft_session'].pk}").status_code == 404
    assert (
        api.as_user(place["staff_a"]).call("get", f"{BASE}/sessions/{place['draft_session'].pk}").status_code
        == 200
    )


# --- availability ----------------------------------------------------------------------------------


def test_availability_lists_free_seats_of_the_range_in_fixed_queries(api, place, django_assert_num_queries):
    w.register(place["paid"], 4, method="door")
    for days in range(6, 11):
        w.session(place["published"], days=days, seats=3, price=50_000)
    today = timezone.localdate()
    url = f"{BASE}/availability?from={today.isoformat()}&to={(today + dt.timedelta(days=30)).isoformat()}"
    with django_assert_num_queries(3):
        response = api.call("get", url)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6  # the free session is 40 days on, the draft's is not published
    first = body["items"][0]
    assert (first["session_id"], first["seats"], first["free_seats"]) == (place["paid"].pk, 10, 6)
    by_event = api.call("get", f"{url}&event_id={place['published'].pk}&free=false").json()
    assert by_event["count"] == 6
    assert api.call("get", f"{url}&center_id={place['b'].pk}").json()["count"] == 0
    assert api.call("get", f"{url}&kind=fair").json()["count"] == 0


@pytest.mark.parametrize(
    "query",
    ["from=2026-01-01&to=2026-06-01", "from=2026-03-10&to=2026-03-01", "from=0&to=1", "from=2026-02-30"],
)
def test_availability_over_a_bad_range_is_refused(api, place, query):
    response = api.call("get", f"{BASE}/availability?{query}")
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"], response.json()
