import datetime as dt

import pytest
from django.utils import timezone

from ocophub.common.errors import DomainError
from ocophub.common.models import ChangeRecord
from ocophub.events import services
from ocophub.events.models import Event, EventEvent, EventState, Session, SessionState
from ocophub.seats.models import Capacity

from . import world as w

pytestmark = pytest.mark.django_db


def _errors(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_an_event_is_made_as_a_draft_with_a_vietnamese_slug_and_history():
    center = w.center()
    first = w.event(center, title="Đêm gốm Bát Tràng", publish=False)
    second = w.event(center, title="Đêm gốm Bát Tràng", publish=False)

    assert first.state == EventState.DRAFT and first.slug == "dem-gom-bat-trang"
    assert second.slug == "dem-gom-bat-trang-2"
    services.event_publish(actor=None, event=first)
    assert list(EventEvent.objects.filter(event=first).values_list("to_state", flat=True)) == [
        "published",
        "draft",
    ]
    with pytest.raises(DomainError):
        services.event_publish(actor=None, event=first)


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("kind", {"kind": "party"}),
        ("title", {"title": " "}),
        ("languages", {"languages": []}),
        ("languages", {"languages": ["xx"]}),
        ("latitude", {"address": "Hồ Gươm", "latitude": "10.7", "longitude": "105.8"}),
        ("longitude", {"address": "Hồ Gươm", "latitude": "21.02"}),
        ("address", {"latitude": "21.02", "longitude": "105.85"}),
    ],
)
def test_bad_event_input_names_the_field_and_writes_nothing(field, changes):
    center = w.center()
    data = {"kind": "exhibition", "title": "Triển lãm lụa", **changes}
    error = _errors(lambda: services.event_create(actor=None, center=center, **data))
    assert error.status == 400 and field in error.fields
    assert Event.objects.count() == 0


def test_an_event_elsewhere_in_hanoi_keeps_its_address_and_map_point():
    event = services.event_create(
        actor=None,
        center=w.center(),
        kind="fair",
        title="Hội chợ OCOP phố đi bộ",
        address="Phố đi bộ Hồ Gươm",
        latitude="21.028511",
        longitude="105.852000",
        languages=["vi", "en"],
    )
    assert str(event.latitude) == "21.028511" and event.languages == ["vi", "en"]


def test_editing_an_event_is_kept_in_history_and_refused_once_cancelled():
    event = w.event()
    services.event_update(actor=None, event=event, title="Nặn gốm cùng nghệ nhân")
    record = ChangeRecord.objects.get(object_type="events.event", object_id=event.pk)
    assert record.changes["title"][1] == "Nặn gốm cùng nghệ nhân"
    assert "title" in _errors(lambda: services.event_update(actor=None, event=event, title="")).fields
    assert "state" in _errors(lambda: services.event_update(actor=None, event=event, state="draft")).fields
    services.event_cancel(actor=None, event=event, reason="Bão")
    assert _errors(lambda: services.event_update(actor=None, event=event, title="X")).code == "cancelled"


def test_cancelling_an_event_cancels_its_sessions_and_their_registrations():
    event = w.event()
    one, two = w.session(event, seats=4), w.session(event, seats=4, days=12)
    registration = w.register(one, 2)

    assert "reason" in _errors(lambda: services.event_cancel(actor=None, event=event, reason=" ")).fields
    services.event_cancel(actor=None, event=event, reason="Bão số 3")

    assert set(Session.objects.filter(event=event).values_list("state", flat=True)) == {
        SessionState.CANCELLED
    }
    registration.refresh_from_db()
    assert registration.state == "cancelled"
    assert w.counters(one) == (4, 0, 0, 0) and w.counters(two) == (4, 0, 0, 0)


def test_a_session_gets_its_own_seat_capacity():
    session = w.session(seats=12, price=250_000, makes="Một chiếc bát men lam tự nặn")
    capacity = Capacity.objects.get(pk=session.capacity_id)
    assert (capacity.owner_type, capacity.owner_id, capacity.total) == ("events.session", session.pk, 12)
    assert session.refund_rule == [{"days": 7, "percent": 100}, {"days": 2, "percent": 50}]


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("starts_at", {"starts_at": timezone.now() - dt.timedelta(hours=1)}),
        ("starts_at", {"starts_at": dt.datetime(2030, 1, 1, 9)}),  # naive
        ("ends_at", {"ends_at": "later"}),
        ("ends_at", {"ends_at_delta": dt.timedelta(hours=-1)}),
        ("capacity", {"capacity": 0}),
        ("capacity", {"capacity": "10"}),
        ("price", {"price": -1}),
        ("price", {"price": 1.5}),
        ("refund_rule", {"refund_rule": [{"days": 3, "percent": 120}]}),
        ("refund_rule", {"refund_rule": "all"}),
    ],
)
def test_bad_session_input_names_the_field_and_writes_nothing(field, changes):
    event = w.event()
    start = w.soon(5)
    data = {"starts_at": start, "ends_at": start + dt.timedelta(hours=2), "capacity": 10, "price": 0}
    if "ends_at_delta" in changes:
        data["ends_at"] = start + changes.pop("ends_at_delta")
    data.update(changes)

    error = _errors(lambda: services.session_create(actor=None, event=event, **data))

    assert error.status == 400 and field in error.fields
    assert Session.objects.count() == 0 and Capacity.objects.count() == 0


def test_recurring_sessions_from_an_rrule_text():
    event = w.event()
    first = timezone.localdate() + dt.timedelta(days=7)
    made = services.sessions_create_recurring(
        actor=None,
        event=event,
        rule="RRULE:FREQ=WEEKLY;BYDAY=SA,SU",
        starts_on=first,
        start_time=dt.time(9, 0),
        duration=dt.timedelta(hours=2),
        count=6,
        capacity=8,
        price=200_000,
    )
    assert len(made) == 6 and Capacity.objects.count() == 6
    for session in made:
        local = timezone.localtime(session.starts_at)
        assert local.weekday() in (5, 6) and (local.hour, local.minute) == (9, 0)
        assert session.ends_at - session.starts_at == dt.timedelta(hours=2)


def test_recurring_sessions_from_a_structured_rule_until_a_day():
    event = w.event()
    first = timezone.localdate() + dt.timedelta(days=1)
    made = services.sessions_create_recurring(
        actor=None,
        event=event,
        rule={"freq": "daily", "interval": 2},
        starts_on=first,
        start_time=dt.time(14, 30),
        duration=dt.timedelta(minutes=90),
        until=first + dt.timedelta(days=6),
        capacity=5,
    )
    assert [timezone.localdate(s.starts_at) for s in made] == [
        first + dt.timedelta(days=d) for d in (0, 2, 4, 6)
    ]


def test_recurring_rules_are_capped_bounded_and_all_or_nothing(settings):
    settings.EVENTS_MAX_RECURRING = 10
    event = w.event()
    base = {
        "actor": None,
        "event": event,
        "start_time": dt.time(9),
        "duration": dt.timedelta(hours=1),
        "capacity": 5,
    }
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert (
        "count"
        in _errors(
            lambda: services.sessions_create_recurring(
                rule="FREQ=DAILY", starts_on=tomorrow, count=11, **base
            )
        ).fields
    )
    assert (
        "until"
        in _errors(
            lambda: services.sessions_create_recurring(rule="FREQ=DAILY", starts_on=tomorrow, **base)
        ).fields
    )
    assert (
        "rule"
        in _errors(
            lambda: services.sessions_create_recurring(
                rule="FREQ=SOMETIMES", starts_on=tomorrow, count=2, **base
            )
        ).fields
    )
    # the first occurrence is in the past: nothing is made, not even the later ones
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    error = _errors(
        lambda: services.sessions_create_recurring(rule="FREQ=DAILY", starts_on=yesterday, count=3, **base)
    )
    assert "starts_at" in error.fields
    assert Session.objects.count() == 0 and Capacity.objects.count() == 0


def test_more_seats_go_to_the_waiting_list_and_fewer_never_below_the_booked():
    session = w.session(seats=2)
    w.register(session, 2)
    entry = services.waitlist_join(
        actor=None, session=session, party_size=1, name="Bà Hoa", email="hoa@example.vn"
    )

    services.session_update(actor=None, session=session, capacity=3, price=50_000)

    entry.refresh_from_db()
    assert entry.state == "offered"
    assert w.counters(session) == (3, 1, 2, 0)
    session.refresh_from_db()
    assert session.price == 50_000
    record = ChangeRecord.objects.get(object_type="events.session", object_id=session.pk)
    assert record.changes["capacity"] == [2, 3] and record.changes["price"] == [0, 50_000]
    error = _errors(lambda: services.session_update(actor=None, session=session, capacity=2))
    assert error.code == "below_booked" and "total" in error.fields
    assert "price" in _errors(lambda: services.session_update(actor=None, session=session, price=-5)).fields
    assert (
        "starts_at"
        in _errors(lambda: services.session_update(actor=None, session=session, starts_at=None)).fields
    )
    assert w.counters(session) == (3, 1, 2, 0)


def test_an_event_photo_is_checked_and_kept(tmp_path, settings):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    event = w.event()
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    photo = services.event_photo_add(
        actor=None,
        event=event,
        image=SimpleUploadedFile("gom.jpg", buffer.getvalue(), "image/jpeg"),
        caption="Bàn xoay",
    )
    assert photo.image.name.startswith("events/") and photo.position == 0
    from django.core.files.storage import default_storage

    from ocophub.common.thumbnails import thumbnail_name

    assert default_storage.exists(thumbnail_name(photo.image.name, "card"))
    bad = SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")
    assert "image" in _errors(lambda: services.event_photo_add(actor=None, event=event, image=bad)).fields
    assert event.photos.count() == 1


def test_the_center_messages_the_parties_of_a_cancelled_session(
    django_capture_on_commit_callbacks, mailoutbox
):
    session = w.session(seats=5)
    one, two = w.register(session, 1), w.register(session, 2)
    services.session_cancel(actor=None, session=session, reason="Mưa bão")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.session_message_parties(
            actor=None, session=session, subject="Lịch mới", message="Mời quý khách buổi 20/12."
        )

    assert sent == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([one.email, two.email])
    assert ChangeRecord.objects.filter(object_type="events.session", object_id=session.pk).exists()
    error = _errors(
        lambda: services.session_message_parties(actor=None, session=session, subject="", message="")
    )
    assert set(error.fields) == {"subject", "message"}


def test_center_people_manage_and_check_in_only_at_their_center():
    from ocophub.accounts import permissions
    from ocophub.accounts.models import Role
    from ocophub.accounts.services import role_grant
    from tests.factories import UserFactory

    here, there = w.center(), w.center("Trung tâm OCOP lụa Vạn Phúc")
    staff, designer = UserFactory(), UserFactory()
    role_grant(actor=None, user=staff, role=Role.CENTER_STAFF, scope_id=here.pk)
    role_grant(actor=None, user=designer, role=Role.DESIGNER, scope_id=here.pk)

    assert permissions.can_manage_center_events(staff, here) and permissions.can_check_in_at(staff, here)
    assert not permissions.can_manage_center_events(staff, there) and not permissions.can_check_in_at(
        staff, there
    )
    assert not permissions.can_check_in_at(designer, here)
