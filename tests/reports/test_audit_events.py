"""The promotion events in the audit trail: their state histories, payments, refunds, check-ins and
seats, shown to the city and to the organising center only; and the person filter by name."""

import io
import itertools
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from ocophub.accounts.models import Role
from ocophub.catalogue import services as catalogue
from ocophub.events import services as events
from ocophub.events.models import PaymentMethod

from ..conftest import make_user
from ..events import world as events_world
from ..helpers import assert_fixed_queries
from ..sales import world as sales_world

pytestmark = pytest.mark.django_db

AUDIT = "/lam-viec/nhat-ky/"
EVENT_SOURCES = {
    "event_event",
    "session_event",
    "registration_event",
    "check_in",
    "event_payment",
    "event_refund",
    "seat_movement",
    "hold_event",
}
_n = itertools.count(1)


@pytest.fixture
def world(loaded_places):
    return sales_world.build()


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(client: Client, url: str = AUDIT, **params: str):
    with translation.override("vi"):
        return client.get(url, params)


def listed(response) -> list[tuple[str, int]]:
    html = response.content.decode()
    return [
        (s, int(i))
        for s, i in re.findall(r'data-testid="audit-row" data-source="(\w+)" data-id="(\d+)"', html)
    ]


def rows_text(response) -> list[str]:
    html = response.content.decode()
    rows = re.findall(r'<tr data-testid="audit-row".*?</tr>', html, flags=re.S)
    return [
        " | ".join(re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S))
        for row in rows
    ]


def event_life(world, center, staff) -> SimpleNamespace:
    """At `center`: an event published, a paid session with a party paid by transfer and checked in,
    one paid and then cancelled (refunded), one paying at the door, and a second session cancelled."""
    event = events_world.event(center, title=f"Nặn gốm cùng nghệ nhân {next(_n)}")
    session = events_world.session(event, seats=20, price=100_000)
    paid = events_world.register(session, 2)
    events.registration_pay(actor=staff, registration=paid, reference=f"FT{next(_n)}")
    events.check_in_by_code(actor=staff, code=paid.code, center=center)
    cancelled = events_world.register(session, 1)
    events.registration_pay(actor=staff, registration=cancelled)
    events.registration_cancel(actor=staff, registration=cancelled, reason="Bận việc gia đình")
    door = events_world.register(session, 3, method=PaymentMethod.DOOR)
    events.check_in_by_code(actor=staff, code=door.code, center=center)
    other = events_world.session(event, seats=5, days=12)
    events.session_cancel(actor=staff, session=other, reason="Nghệ nhân ốm")
    return SimpleNamespace(event=event, session=session, paid=paid, cancelled=cancelled, door=door)


def test_each_events_source_shows_for_the_city_admin(world, city_admin):
    life = event_life(world, world.center_a, world.staff_a)
    client = client_of(city_admin)
    page = get(client, object_type="event", object_id=str(life.event.pk))
    assert page.status_code == 200
    assert {source for source, _pk in listed(page)} == EVENT_SOURCES

    money = rows_text(get(client, kind="money"))
    paid = [row for row in money if life.paid.code in row]
    assert len(paid) == 1 and "+200.000 ₫" in paid[0] and str(world.staff_a) in paid[0]
    assert "Nặn gốm cùng nghệ nhân" in paid[0] and "chuyển khoản" in paid[0].lower()
    refund = [row for row in money if life.cancelled.code in row and "−" in row]
    assert len(refund) == 1 and "−100.000 ₫" in refund[0] and "Bận việc gia đình" in refund[0]
    door = [row for row in money if life.door.code in row]
    assert len(door) == 1 and "+300.000 ₫" in door[0]

    seats = get(client, kind="seats")
    checked_in = [row for row in rows_text(seats) if life.paid.code in row and "2 người" in row]
    assert len(checked_in) == 1 and str(world.staff_a) in checked_in[0]
    assert {"registration_event", "check_in", "seat_movement", "hold_event"} <= {
        source for source, _pk in listed(seats)
    }
    moves = [row for row in rows_text(seats) if life.cancelled.code in row and "Bận việc" in row]
    assert any("đã xác nhận → đã hoàn tiền" in row.lower() for row in moves), moves

    status = [row.lower() for row in rows_text(get(client, kind="event"))]
    assert [row for row in status if "nghệ nhân ốm" in row and "đã lên lịch → đã hủy" in row], status
    assert [row for row in status if life.event.title.lower() in row and "nháp → đã công bố" in row], status


def test_the_organising_center_sees_its_events_rows_a_peer_center_does_not(world):
    life = event_life(world, world.center_a, world.staff_a)
    mine = get(client_of(world.manager_a), f"{AUDIT}trung-tam/{world.center_a.slug}/")
    assert mine.status_code == 200
    ours = {(s, pk) for s, pk in listed(mine) if s in EVENT_SOURCES}
    assert {source for source, _pk in ours} == EVENT_SOURCES

    peer = client_of(world.manager_b)
    theirs = listed(get(peer, f"{AUDIT}trung-tam/{world.center_b.slug}/"))
    assert not set(theirs) & ours
    assert life.event.title not in get(peer, f"{AUDIT}trung-tam/{world.center_b.slug}/").content.decode()
    # nor by asking for the event by its id, nor through the other center's page
    by_id = get(
        peer, f"{AUDIT}trung-tam/{world.center_b.slug}/", object_type="event", object_id=str(life.event.pk)
    )
    assert by_id.status_code == 200 and listed(by_id) == []
    assert get(peer, f"{AUDIT}trung-tam/{world.center_a.slug}/").status_code == 404
    # a producer's page lists no center's events
    member = listed(get(client_of(world.member_a), f"{AUDIT}chu-the/{world.producer_a.slug}/"))
    assert not {source for source, _pk in member} & EVENT_SOURCES


def test_each_center_sees_the_seats_of_its_own_events(world):
    a = event_life(world, world.center_a, world.staff_a)
    b = event_life(world, world.center_b, world.staff_b)
    page_a = get(client_of(world.manager_a), f"{AUDIT}trung-tam/{world.center_a.slug}/", kind="seats")
    page_b = get(client_of(world.manager_b), f"{AUDIT}trung-tam/{world.center_b.slug}/", kind="seats")
    html_a, html_b = page_a.content.decode(), page_b.content.decode()
    assert a.paid.code in html_a and b.paid.code not in html_a
    assert b.paid.code in html_b and a.paid.code not in html_b
    seats_a = {pk for s, pk in listed(page_a) if s == "seat_movement"}
    seats_b = {pk for s, pk in listed(page_b) if s == "seat_movement"}
    assert seats_a and seats_b and not seats_a & seats_b


def test_the_center_list_with_events_runs_a_fixed_number_of_queries(world):
    client = client_of(world.manager_a)
    assert_fixed_queries(
        lambda: client.get(f"{AUDIT}trung-tam/{world.center_a.slug}/"),
        lambda n: [event_life(world, world.center_a, world.staff_a) for _i in range(n)],
        steps=(1, 3),
    )


def test_the_city_list_with_events_runs_a_fixed_number_of_queries(world, city_admin):
    client = client_of(city_admin)
    assert_fixed_queries(
        lambda: client.get(AUDIT),
        lambda n: [event_life(world, world.center_b, world.staff_b) for _i in range(n)],
        steps=(1, 3),
    )


def test_the_excel_holds_the_events_rows(world, city_admin):
    life = event_life(world, world.center_a, world.staff_a)
    response = get(client_of(city_admin), f"{AUDIT}excel/")
    assert response.status_code == 200
    rows = [
        [cell.value for cell in row]
        for row in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(min_row=2)
    ]
    assert {row[7] for row in rows} >= EVENT_SOURCES
    (paid,) = [row for row in rows if row[7] == "event_payment" and life.paid.code in row[3]]
    assert paid[6] == 200_000 and paid[1] == "Tiền"
    (refund,) = [row for row in rows if row[7] == "event_refund"]
    assert refund[6] == -100_000
    center_file = get(
        client_of(world.manager_a), f"{AUDIT}trung-tam/{world.center_a.slug}/excel/", kind="seats"
    )
    kinds = {
        row[1].value
        for row in load_workbook(io.BytesIO(center_file.content)).worksheets[0].iter_rows(min_row=2)
    }
    assert kinds == {"Chỗ ngồi"}


# --- the person filter by name ---


def test_the_person_filter_finds_a_name_with_or_without_diacritics(world, city_admin):
    dao = make_user(Role.CENTER_STAFF, scope_id=world.center_a.pk)
    dao.full_name = "Nguyễn Thị Đào"
    dao.save(update_fields=["full_name"])
    other = make_user(Role.CENTER_STAFF, scope_id=world.center_a.pk)
    other.full_name = "Trần Văn Đạo"
    other.save(update_fields=["full_name"])
    catalogue.product_save(actor=dao, product=world.bowl, list_price=170_000)
    catalogue.product_save(actor=other, product=world.tea, list_price=91_000)
    sales_world.counter_sale(world, 1, seller=other)
    client = client_of(city_admin)
    for typed in ("Nguyễn Thị Đào", "nguyen thi dao", "NGUYEN DAO", "thi đao", "Đào Nguyễn"):
        response = get(client, person=typed)
        assert response.status_code == 200, (typed, response.context["form"].errors)
        found = rows_text(response)
        assert found and all("Nguyễn Thị Đào" in row.split(" | ")[2] for row in found), (typed, found)
        assert any("150.000 ₫ → 170.000 ₫" in row for row in found)
    # "dao" is in both names: both people's acts, nobody else's
    both = rows_text(get(client, person="dao"))
    assert {row.split(" | ")[2] for row in both} == {"Nguyễn Thị Đào", "Trần Văn Đạo"}
    # part of an e-mail address works too, and an exact one still names one person
    assert rows_text(get(client, person=dao.email.split("@")[0])) == rows_text(get(client, person=dao.email))


def test_the_person_filter_by_name_is_bounded_and_explains_a_refusal(world, city_admin):
    for _i in range(21):
        make_user()
    client = client_of(city_admin)
    many = get(client, person="người dùng")
    assert many.status_code == 400 and "Hơn 20 người" in str(many.context["form"].errors["person"])
    assert listed(many) == []
    nobody = get(client, person="Không Ai Tên Này")
    assert nobody.status_code == 400 and "Không có ai" in str(nobody.context["form"].errors["person"])
    short = get(client, person="a")
    assert short.status_code == 400 and "hai chữ" in str(short.context["form"].errors["person"])


def test_the_person_filter_by_name_keeps_the_scope(world):
    a = event_life(world, world.center_a, world.staff_a)
    page = get(
        client_of(world.manager_b), f"{AUDIT}trung-tam/{world.center_b.slug}/", person=str(world.staff_a)
    )
    assert page.status_code == 200 and a.paid.code not in page.content.decode()
    mine = get(
        client_of(world.manager_a), f"{AUDIT}trung-tam/{world.center_a.slug}/", person=str(world.staff_a)
    )
    assert a.paid.code in mine.content.decode()


# --- when a payment was paid ---


def test_a_payment_row_is_written_when_the_money_arrives_so_its_time_is_the_paid_time(world, city_admin):
    """No payment waits pending to be marked paid later: the order (or registration) waits, and its
    move to paid is an event row; the payment row is written, succeeded, in that same step."""
    from ocophub.sales import services as sales
    from ocophub.sales.models import OrderEvent, OrderStatus, Payment, PaymentState

    order = sales_world.checkout(world, 1)
    assert not Payment.objects.filter(order=order).exists()
    sales.order_pay(actor=world.staff_a, order=order, reference="FT-LAN-1")
    (payment,) = Payment.objects.filter(order=order)
    paid_move = OrderEvent.objects.get(order=order, to_state=OrderStatus.PAID)
    assert payment.state == PaymentState.SUCCEEDED and payment.created_at >= paid_move.at

    session = events_world.session(events_world.event(world.center_a), price=50_000)
    registration = events_world.register(session, 1)
    assert not registration.payments.exists()
    events.registration_pay(actor=world.staff_a, registration=registration, reference="FT-EV-1")
    (event_payment,) = registration.payments.all()
    confirmed = registration.history.get(to_state="confirmed")
    assert event_payment.state == "succeeded" and event_payment.created_at >= confirmed.at

    money = rows_text(get(client_of(city_admin), kind="money"))
    for reference in ("FT-LAN-1", "FT-EV-1"):
        (row,) = [row for row in money if reference in row]
        assert "thành công" in row
    moves = rows_text(get(client_of(city_admin), kind="order"))
    assert [row for row in moves if order.number in row and "FT-LAN-1" in row]


# --- the object filter by name ---


def test_the_object_filter_finds_an_object_by_its_name_folded(world, city_admin):
    catalogue.product_save(actor=city_admin, product=world.bowl, list_price=171_000)
    catalogue.product_save(actor=city_admin, product=world.tea, list_price=92_000)
    life = event_life(world, world.center_a, world.staff_a)
    client = client_of(city_admin)
    bowl = rows_text(get(client, kind="price", object_type="product", object_name="bat gom"))
    assert len(bowl) == 1 and "171.000 ₫" in bowl[0]
    by_title = listed(get(client, object_type="event", object_name="NAN GOM cung nghe nhan"))
    assert {source for source, _pk in by_title} == EVENT_SOURCES
    by_id = listed(get(client, object_type="event", object_id=str(life.event.pk)))
    assert sorted(by_title) == sorted(by_id)
    center_b = listed(get(client, object_type="center", object_id=str(world.center_b.pk)))
    assert center_b and listed(get(client, object_type="center", object_name=world.center_b.name)) == center_b


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"object_type": "order", "object_name": "DH-1"}, "object_name", "hãy nhập mã"),
        ({"object_type": "product", "object_name": "không có sản phẩm nào"}, "object_name", "Không có"),
        ({"object_name": "bát"}, "object_type", "loại đối tượng"),
    ],
)
def test_a_refused_object_name_gets_a_message_and_a_400(world, city_admin, params, field, message):
    response = get(client_of(city_admin), **params)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert listed(response) == []
