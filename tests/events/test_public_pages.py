"""The public pages of events: the calendar (list and month) with its filters, an event's page, the
registration (and the waiting list of a full session), the ticket page, the iCalendar files, and the
panels on the center and craft-village pages."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from ocophub.accounts.models import Role
from ocophub.centers.models import Status
from ocophub.events import services
from ocophub.events.models import (
    EventKind,
    EventState,
    PaymentMethod,
    Registration,
    RegistrationState,
    Session,
    WaitlistEntry,
    WaitlistState,
)
from ocophub.places.models import Craft, CraftVillage
from ocophub.sales.models import BankAccount

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor() -> Client:
    return Client()


@pytest.fixture
def customer_client() -> Client:
    client = Client()
    client.force_login(make_user(Role.CUSTOMER))
    return client


@pytest.fixture(params=["anonymous", "customer"])
def client_of(request) -> Client:
    client = Client()
    if request.param == "customer":
        client.force_login(make_user(Role.CUSTOMER))
    return client


def _form(party=2, email="lan@example.vn", **more) -> dict:
    data = {"party_size": party, "name": "Nguyễn Thị Lan", "email": email, "phone": "0912 345 678"}
    data.update(more)
    return data


def _started(session, hours: float = 1):
    """The session moved to have started `hours` ago (the services refuse to make one in the past)."""
    start = timezone.now() - dt.timedelta(hours=hours)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=3))
    return Session.objects.get(pk=session.pk)


def _register_url(session) -> str:
    return f"/su-kien/{session.event.slug}/dang-ky/{session.pk}/"


# --- the calendar -----------------------------------------------------------------------------------


def test_the_calendar_lists_published_sessions_to_come_with_their_free_seats(client_of):
    center = w.center()
    shown = w.session(w.event(center, title="Nặn gốm cuối tuần"), seats=8, days=5, price=150_000)
    w.register(shown, 3, method=PaymentMethod.DOOR)
    w.session(w.event(center, title="Bản nháp chưa đăng", publish=False), days=5)
    _started(w.session(w.event(center, title="Buổi đã qua")), hours=48)

    response = client_of.get("/su-kien/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Nặn gốm cuối tuần" in text and "150.000 ₫" in text
    assert "Còn 5 chỗ" in text
    assert "Bản nháp chưa đăng" not in text and "Buổi đã qua" not in text
    assert _register_url(shown) in text


def test_the_calendar_filters_by_center_kind_craft_dates_and_price(visitor):
    potters, weavers = w.center(), w.center("Trung tâm lụa Vạn Phúc")
    ceramics = Craft.objects.create(name="Gốm sứ", slug="gom-su")
    potters.crafts.add(ceramics)
    bowl = w.session(w.event(potters, title="Nặn bát"), days=3, price=100_000)
    w.session(w.event(weavers, kind=EventKind.EXHIBITION, title="Triển lãm lụa"), days=20)

    def titles(query: str) -> str:
        response = visitor.get(f"/su-kien/?{query}")
        assert response.status_code == 200, response.content[:500]
        return response.content.decode()

    assert "Triển lãm lụa" not in titles(f"center={potters.slug}")
    assert "Nặn bát" in titles(f"center={potters.slug}")
    assert "Nặn bát" not in titles("kind=exhibition") and "Triển lãm lụa" in titles("kind=exhibition")
    assert "Triển lãm lụa" not in titles("craft=gom-su") and "Nặn bát" in titles("craft=gom-su")
    assert "Nặn bát" not in titles("gia=mien-phi") and "Triển lãm lụa" in titles("gia=mien-phi")
    assert "Triển lãm lụa" not in titles("gia=co-phi")
    later = timezone.localdate() + dt.timedelta(days=10)
    assert "Nặn bát" not in titles(f"tu={later:%d/%m/%Y}") and "Triển lãm lụa" in titles(
        f"tu={later:%d/%m/%Y}"
    )
    assert "Triển lãm lụa" not in titles(f"den={later:%d/%m/%Y}")
    # the center's calendar offers its feed
    assert f"/su-kien/trung-tam/{potters.slug}.ics" in titles(f"center={potters.slug}")
    assert bowl.event.title in titles("")


@pytest.mark.parametrize(
    "query, message",
    [
        ("center=khong-co", "Hãy chọn một trung tâm trong danh sách."),
        ("craft=khong-co", "Hãy chọn nghề trong danh sách."),
        ("kind=party", "Hãy chọn một loại sự kiện trong danh sách."),
        ("tu=32/13/2026", "Một ngày dạng dd/mm/yyyy."),
        ("tu=10/12/2026&den=01/12/2026", "Ngày cuối trước ngày đầu."),
        ("gia=re", "Hãy chọn miễn phí hoặc có phí."),
    ],
)
def test_bad_filters_are_400_with_a_clear_message(visitor, query, message):
    w.session(days=3)
    for path in ("/su-kien/", "/su-kien/lich-thang/"):
        response = visitor.get(f"{path}?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()
        assert 'data-testid="session-card"' not in response.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "26-01", "1999-12", "abcd-ef", "2026-1"])
def test_a_bad_month_is_400(visitor, month):
    response = visitor.get(f"/su-kien/lich-thang/?thang={month}")
    assert response.status_code == 400
    assert "Tháng theo dạng yyyy-mm" in response.content.decode()


def test_the_calendar_runs_a_fixed_number_of_queries(visitor):
    center = w.center()

    def grow(n: int) -> None:
        for i in range(n):
            session = w.session(w.event(center), days=2 + i % 15, price=50_000 * (i % 2))
            w.register(session, 1, method=PaymentMethod.DOOR)

    assert_fixed_queries(lambda: visitor.get("/su-kien/"), grow)
    assert_fixed_queries(lambda: visitor.get(f"/su-kien/?center={center.slug}&kind=workshop"), grow)


def test_the_list_is_a_page_at_a_time(visitor):
    event = w.event()
    for day in range(25):
        w.session(event, days=2 + day)

    first = visitor.get("/su-kien/")
    second = visitor.get("/su-kien/?page=2")

    assert first.content.decode().count('data-testid="session-card"') == 20
    assert 'rel="next"' in first.content.decode()
    assert second.content.decode().count('data-testid="session-card"') == 5
    assert 'rel="next"' not in second.content.decode()


def test_the_month_view_shows_the_month_days_and_links_to_the_next_and_previous(visitor):
    session = w.session(days=40)
    month = timezone.localtime(session.starts_at).date().replace(day=1)

    response = visitor.get(f"/su-kien/lich-thang/?thang={month:%Y-%m}")

    assert response.status_code == 200
    text = response.content.decode()
    assert session.event.title in text
    assert f"Tháng {month:%m/%Y}" in text
    following = (month + dt.timedelta(days=32)).replace(day=1)
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    assert f"thang={following:%Y-%m}" in text and f"thang={previous:%Y-%m}" in text
    other = visitor.get(f"/su-kien/lich-thang/?thang={following + dt.timedelta(days=40):%Y-%m}")
    assert session.event.title not in other.content.decode()


def test_the_month_view_runs_a_fixed_number_of_queries(visitor):
    event = w.event()
    month = (timezone.localdate() + dt.timedelta(days=40)).replace(day=1)

    def grow(n: int) -> None:
        for i in range(n):
            start = timezone.make_aware(dt.datetime.combine(month + dt.timedelta(days=i % 27), dt.time(9)))
            services.session_create(
                actor=None, event=event, starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=4
            )

    assert_fixed_queries(lambda: visitor.get(f"/su-kien/lich-thang/?thang={month:%Y-%m}"), grow)


def test_the_main_menu_and_the_sitemap_have_the_events(visitor):
    event = w.event()
    w.session(event)
    draft = w.event(publish=False)

    assert 'href="/su-kien/"' in visitor.get("/").content.decode()
    sitemap = visitor.get("/sitemap-su-kien.xml").content.decode()
    assert f"/su-kien/{event.slug}/" in sitemap and draft.slug not in sitemap
    assert "/su-kien/" in visitor.get("/sitemap-trang.xml").content.decode()


# --- an event's page --------------------------------------------------------------------------------


def test_the_event_page_shows_the_event_and_its_sessions(client_of):
    event = w.event(languages=["vi", "en"])
    open_session = w.session(event, seats=4, price=120_000, days=6, makes="Một chiếc bát men lam")
    full = w.session(event, seats=2, days=8)
    w.register(full, 2, method=PaymentMethod.DOOR)

    response = client_of.get(f"/su-kien/{event.slug}/")

    assert response.status_code == 200
    text = response.content.decode()
    assert event.title in text and "trải nghiệm thực hành" in text
    assert "Tiếng Việt" in text and "English" in text
    assert "120.000 ₫" in text and "Một chiếc bát men lam" in text
    assert timezone.localtime(open_session.starts_at).strftime("%d/%m/%Y") in text
    assert "4 / 4 chỗ" in text
    assert _register_url(open_session) in text
    assert 'data-testid="waitlist-link"' in text  # the full session offers its waiting list
    assert event.center.name in text


def test_draft_events_are_404_and_cancelled_ones_say_so(visitor):
    draft = w.event(publish=False)
    cancelled = w.event()
    session = w.session(cancelled)
    services.event_cancel(actor=None, event=cancelled, reason="Bão")

    assert visitor.get(f"/su-kien/{draft.slug}/").status_code == 404
    assert visitor.get(f"/su-kien/{draft.slug}/dang-ky/{w.session(draft).pk}/").status_code == 404
    response = visitor.get(f"/su-kien/{cancelled.slug}/")
    assert response.status_code == 200
    assert 'data-testid="event-cancelled"' in response.content.decode()
    assert _register_url(session) not in response.content.decode()
    assert visitor.get("/su-kien/khong-co/").status_code == 404


def test_an_event_of_a_center_the_public_does_not_see_is_404(visitor):
    center = w.center()
    event = w.event(center)
    center.status = Status.PLANNED
    center.save(update_fields=["status"])

    assert visitor.get(f"/su-kien/{event.slug}/").status_code == 404


def test_the_event_page_runs_a_fixed_number_of_queries(visitor):
    event = w.event()

    assert_fixed_queries(
        lambda: visitor.get(f"/su-kien/{event.slug}/"), lambda n: [w.session(event) for _ in range(n)]
    )


# --- registering ------------------------------------------------------------------------------------


def test_registering_two_people_by_vietqr_holds_the_seats_and_leads_to_the_ticket(
    visitor, django_capture_on_commit_callbacks, mailoutbox
):
    session = w.session(seats=10, price=150_000)
    BankAccount.objects.create(
        center=session.event.center, bank_bin="970415", bank_name="VietinBank", account_number="113366668888"
    )

    page = visitor.get(_register_url(session))
    assert page.status_code == 200 and 'data-testid="register-form"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(_register_url(session), _form(2, payment_method="vietqr"))

    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/su-kien/ve/{registration.code}/"
    assert registration.party_size == 2 and registration.state == RegistrationState.HELD
    assert registration.amount == 300_000 and w.counters(session) == (10, 2, 0, 0)
    ticket = visitor.get(response["Location"]).content.decode()
    assert 'data-testid="vietqr"' in ticket and "300.000 ₫" in ticket
    assert registration.code in ticket
    assert 'data-testid="ticket-qr"' not in ticket  # no ticket before it is paid
    assert f"/su-kien/ve/{registration.code}/" in mailoutbox[-1].body


def test_registering_at_the_door_confirms_at_once_and_shows_the_ticket_qr(customer_client):
    session = w.session(seats=10, price=80_000)

    response = customer_client.post(_register_url(session), _form(3, payment_method="door"))

    registration = Registration.objects.get()
    assert registration.state == RegistrationState.CONFIRMED and registration.customer is not None
    ticket = customer_client.get(response["Location"]).content.decode()
    assert 'data-testid="ticket-qr"' in ticket and 'data-testid="pay-at-door"' in ticket
    assert 'data-testid="vietqr"' not in ticket


def test_the_same_form_sent_twice_makes_one_registration(visitor):
    session = w.session(seats=10)
    data = _form(2, key="a" * 32)

    first = visitor.post(_register_url(session), data)
    second = visitor.post(_register_url(session), data)

    assert Registration.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"party_size": 0}, "Số người phải là số nguyên lớn hơn 0."),
        ({"party_size": -2}, "Số người phải là số nguyên lớn hơn 0."),
        ({"party_size": "hai"}, "Số người phải là số nguyên lớn hơn 0."),
        ({"party_size": 21}, "Mỗi lượt đăng ký tối đa 20 người."),
        ({"party_size": 7}, "Buổi này có tổng cộng 6 chỗ."),
        ({"email": "khong-phai-email"}, "Địa chỉ e-mail không hợp lệ."),
        ({"name": ""}, "Nhập tên người đăng ký."),
        ({"payment_method": "bitcoin"}, "Thanh toán bằng chuyển khoản (VietQR) hoặc tại cửa."),
    ],
)
def test_bad_registrations_are_refused_with_the_services_message_and_write_nothing(visitor, data, message):
    session = w.session(seats=6, price=50_000)

    response = visitor.post(_register_url(session), _form(**data) if "party_size" in data else _form(**data))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()
    assert w.counters(session) == (6, 0, 0, 0)


def test_the_same_contact_cannot_register_twice(visitor):
    session = w.session(seats=10)
    visitor.post(_register_url(session), _form(1))

    response = visitor.post(_register_url(session), _form(2, email="LAN@example.vn"))

    assert response.status_code == 409
    assert "đã đăng ký buổi này" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_session_in_the_past_takes_no_registration(visitor):
    session = _started(w.session(seats=5))

    page = visitor.get(_register_url(session))
    response = visitor.post(_register_url(session), _form(1))

    assert 'data-testid="session-closed"' in page.content.decode()
    assert response.status_code == 400
    assert "Buổi này đã bắt đầu hoặc đã kết thúc." in response.content.decode()
    assert not Registration.objects.exists()


def test_a_full_session_offers_the_waiting_list_and_joining_it_writes_an_entry(visitor):
    session = w.session(seats=2)
    w.register(session, 2, method=PaymentMethod.DOOR)

    page = visitor.get(_register_url(session))
    assert 'data-testid="waitlist-offer"' in page.content.decode()
    refused = visitor.post(_register_url(session), _form(1))
    assert refused.status_code == 409 and 'name="action" value="waitlist"' in refused.content.decode()
    assert Registration.objects.count() == 1

    joined = visitor.post(_register_url(session), _form(1, action="waitlist"), follow=True)

    entry = WaitlistEntry.objects.get()
    assert entry.state == WaitlistState.WAITING and entry.party_size == 1
    assert "danh sách chờ (số 1)" in joined.content.decode()
    again = visitor.post(_register_url(session), _form(1, action="waitlist"))
    assert again.status_code == 409 and WaitlistEntry.objects.count() == 1


def test_a_party_too_large_for_the_seats_left_is_offered_the_waiting_list(visitor):
    session = w.session(seats=4)
    w.register(session, 3, method=PaymentMethod.DOOR)

    response = visitor.post(_register_url(session), _form(2))

    assert response.status_code == 409
    assert "Chỉ còn 1 chỗ cho 2 người" in response.content.decode()
    assert Registration.objects.count() == 1


# --- the ticket -------------------------------------------------------------------------------------


def test_the_ticket_page_is_reached_by_its_code_only(visitor):
    registration = w.register(w.session(), 1, method=PaymentMethod.DOOR)

    assert visitor.get(f"/su-kien/ve/{registration.code}/").status_code == 200
    assert visitor.get("/su-kien/ve/ABCDEFGHJKMN/").status_code == 404
    assert visitor.get(f"/su-kien/ve/{registration.code.lower()}/").status_code == 404
    assert visitor.get("/su-kien/ve/ABCDEFGHJKMN/lich.ics").status_code == 404


def test_cancelling_a_paid_ticket_refunds_by_the_rule_and_frees_the_seats(visitor):
    session = w.session(seats=5, price=100_000, days=10)
    registration = w.register(session, 2)
    services.registration_pay(actor=None, registration=registration)

    page = visitor.get(f"/su-kien/ve/{registration.code}/").content.decode()
    assert 'data-testid="refund-rule"' in page and "200.000 ₫ (100%)" in page
    response = visitor.post(f"/su-kien/ve/{registration.code}/huy/", follow=True)

    registration.refresh_from_db()
    assert registration.state == RegistrationState.REFUNDED
    assert w.counters(session) == (5, 0, 0, 0)
    assert "200.000 ₫" in response.content.decode() and 'data-testid="refunded"' in response.content.decode()
    again = visitor.post(f"/su-kien/ve/{registration.code}/huy/")
    assert again.status_code == 409 and "không có gì để hủy" in again.content.decode()


def test_a_ticket_cannot_be_cancelled_after_the_session_started(visitor):
    registration = w.register(w.session(seats=5, days=1), 1, method=PaymentMethod.DOOR)
    _started(registration.session, hours=0.1)

    response = visitor.post(f"/su-kien/ve/{registration.code}/huy/")

    assert response.status_code == 409
    assert "Buổi đã bắt đầu" in response.content.decode()
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED


def test_the_ticket_ics_parses_with_the_session_times(visitor):
    registration = w.register(w.session(), 2, method=PaymentMethod.DOOR)

    response = visitor.get(f"/su-kien/ve/{registration.code}/lich.ics")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    (item,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert item.decoded("dtstart") == registration.session.starts_at
    assert registration.code in str(item["description"])


def test_a_waiting_party_takes_up_the_offered_seats_from_the_link_it_is_sent(
    visitor, django_capture_on_commit_callbacks, mailoutbox
):
    session = w.session(seats=2, price=60_000)
    taken = w.register(session, 2, method=PaymentMethod.DOOR)
    services.waitlist_join(
        actor=None, session=session, party_size=2, name="Trần Văn Nam", email="nam@example.vn"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=None, registration=taken)

    entry = WaitlistEntry.objects.get()
    assert entry.state == WaitlistState.OFFERED
    offer_mail = next(m for m in mailoutbox if m.to == ["nam@example.vn"])
    link = f"/su-kien/ve/{entry.registration.code}/"
    assert link in offer_mail.body
    page = visitor.get(link).content.decode()
    assert 'data-testid="accept-form"' in page

    response = visitor.post(link + "nhan-cho/", {"payment_method": "door"})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == WaitlistState.ACCEPTED
    assert entry.registration.state == RegistrationState.CONFIRMED
    assert w.counters(session) == (2, 0, 2, 0)
    refused = visitor.post(link + "nhan-cho/", {"payment_method": "door"})
    assert refused.status_code == 409


def test_the_ticket_page_runs_a_fixed_number_of_queries(visitor):
    session = w.session(seats=50, price=10_000)
    registration = w.register(session, 1)
    url = f"/su-kien/ve/{registration.code}/"

    assert_fixed_queries(lambda: visitor.get(url), lambda n: [w.register(session, 1) for _ in range(n)])


# --- the center's feed and the panels ---------------------------------------------------------------


def test_the_center_feed_is_an_icalendar_of_its_published_sessions(visitor):
    center = w.center()
    shown = w.event(center, title="Triển lãm gốm")
    w.session(shown, days=3)
    w.session(w.event(center, title="Chưa đăng", publish=False), days=3)

    response = visitor.get(f"/su-kien/trung-tam/{center.slug}.ics")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Triển lãm gốm"]
    center.status = Status.PLANNED
    center.save(update_fields=["status"])
    assert visitor.get(f"/su-kien/trung-tam/{center.slug}.ics").status_code == 404


def test_the_center_page_shows_what_is_coming_in_fixed_queries(client_of):
    center = w.center()
    event = w.event(center, title="Nặn gốm gia đình")

    def grow(n: int) -> None:
        for i in range(n):
            w.session(event, days=2 + i)

    assert_fixed_queries(lambda: client_of.get(f"/trung-tam/{center.slug}/"), grow)
    text = client_of.get(f"/trung-tam/{center.slug}/").content.decode()
    assert 'data-testid="center-upcoming"' in text and "Nặn gốm gia đình" in text
    assert text.count('data-testid="session-card"') == 6
    assert f"/su-kien/trung-tam/{center.slug}.ics" in text
    assert f"/su-kien/?center={center.slug}" in text


def test_the_village_page_lists_the_workshops_of_its_centers(visitor):
    village = CraftVillage.objects.create(
        name="Bát Tràng", slug="bat-trang-thu", commune=w.commune(), source="thử"
    )
    center = w.center()
    center.craft_village = village
    center.save(update_fields=["craft_village"])
    workshop = w.event(center, title="Vuốt bát trên bàn xoay")
    exhibition = w.event(center, kind=EventKind.EXHIBITION, title="Triển lãm gốm cổ")
    w.session(exhibition)

    def grow(n: int) -> None:
        for i in range(n):
            w.session(workshop, days=2 + i)

    assert_fixed_queries(lambda: visitor.get(f"/lang-nghe/{village.slug}/"), grow)
    text = visitor.get(f"/lang-nghe/{village.slug}/").content.decode()
    assert 'data-testid="village-workshops"' in text
    assert "Vuốt bát trên bàn xoay" in text and "Triển lãm gốm cổ" not in text


def test_cancelled_events_leave_the_calendar(visitor):
    event = w.event(title="Hội chợ bị hủy")
    w.session(event)
    services.event_cancel(actor=None, event=event, reason="Mưa bão")

    assert event.state == EventState.CANCELLED
    assert "Hội chợ bị hủy" not in visitor.get("/su-kien/").content.decode()


def test_the_pages_speak_english_second(visitor):
    session = w.session(price=150_000)
    visitor.cookies["ocophub_language"] = "en"

    calendar = visitor.get("/su-kien/").content.decode()
    page = visitor.get(f"/su-kien/{session.event.slug}/").content.decode()

    assert "Events and workshops" in calendar and "₫150,000" in calendar
    assert "hands-on workshop" in page and "Register" in page


def test_the_event_page_shows_its_photos_and_featured_producers(visitor, tmp_path, settings):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from ocophub.catalogue import services as catalogue
    from ocophub.common.thumbnails import thumbnail_url

    settings.MEDIA_ROOT = tmp_path
    producer = catalogue.producer_save(
        actor=None, name="HTX Gốm Giang Cao", kind="cooperative", commune=w.commune()
    )
    event = w.event(producers=[producer])
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    photo = services.event_photo_add(
        actor=None,
        event=event,
        image=SimpleUploadedFile("gom.jpg", buffer.getvalue(), "image/jpeg"),
        caption="Bàn xoay",
    )

    text = visitor.get(f"/su-kien/{event.slug}/").content.decode()

    assert "Bàn xoay" in text
    assert f'src="{thumbnail_url(photo.image.name, "detail")}"' in text
    assert f"/chu-the/{producer.slug}/" in text and 'data-testid="featured-producers"' in text


def test_an_offer_that_ran_out_cannot_be_taken(visitor):
    session = w.session(seats=1)
    taken = w.register(session, 1, method=PaymentMethod.DOOR)
    services.waitlist_join(
        actor=None, session=session, party_size=1, name="Lê Văn Hòa", email="hoa@example.vn"
    )
    services.registration_cancel(actor=None, registration=taken)
    entry = WaitlistEntry.objects.get()
    WaitlistEntry.objects.filter(pk=entry.pk).update(offered_until=timezone.now() - dt.timedelta(minutes=1))
    link = f"/su-kien/ve/{entry.registration.code}/"

    page = visitor.get(link).content.decode()
    response = visitor.post(link + "nhan-cho/", {"payment_method": "door"})

    assert "Lời mời đã hết hạn" in page and 'data-testid="accept-form"' not in page
    assert response.status_code == 409
    entry.refresh_from_db()
    assert entry.state == WaitlistState.OFFERED and entry.registration.state == RegistrationState.HELD
