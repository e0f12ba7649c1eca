"""The door's check-in page: a scan checks a party in once, a second scan says so, another center's
ticket, an unknown code and an unpaid or cancelled ticket are refused; today's head counts."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ocophub.accounts.models import Role
from ocophub.events import services
from ocophub.events.models import CheckIn, PaymentMethod, Session

from ..conftest import make_user
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def door():
    center = w.center()
    other = w.center("Trung tâm OCOP Vạn Phúc")
    return {
        "center": center,
        "other": other,
        "staff": make_user(Role.CENTER_STAFF, scope_id=center.pk),
        "peer": make_user(Role.CENTER_STAFF, scope_id=other.pk),
        "member": make_user(Role.DESIGNER, scope_id=center.pk),
    }


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    if user is not None:
        client.force_login(user)
    return client


def url(center) -> str:
    return f"/lam-viec/trung-tam/{center.slug}/soat-ve/"


def today_session(event, seats: int = 10, price: int = 0) -> Session:
    """A session later today (or at the latest just before midnight)."""
    now = timezone.localtime()
    start = now + dt.timedelta(minutes=30)
    if start.date() != now.date():
        start = now + dt.timedelta(minutes=1)
    return services.session_create(
        actor=None,
        event=event,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=20),
        capacity=seats,
        price=price,
    )


def test_the_page_is_for_the_centers_staff(door):
    page = client_for(door["staff"]).get(url(door["center"]))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="checkin-code"' in content and "autofocus" in content
    assert "events/checkin.js" in content and "<script>" not in content
    assert 'id="checkin-camera"' in content and "hidden" in content
    assert client_for(door["peer"]).get(url(door["center"])).status_code == 404
    assert client_for(door["member"]).get(url(door["center"])).status_code == 404
    anonymous = client_for(None).get(url(door["center"]))
    assert anonymous.status_code == 302 and "/tai-khoan/dang-nhap/" in anonymous["Location"]
    assert client_for(door["peer"]).post(url(door["center"]), {"code": "X"}).status_code == 404


def test_a_scan_checks_in_once_and_a_second_scan_says_already(door):
    session = today_session(w.event(door["center"]))
    registration = w.register(session, 3, name="Nguyễn Văn An")
    staff = client_for(door["staff"])

    first = staff.post(url(door["center"]), {"code": registration.code}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    content = first.content.decode()
    assert 'data-kind="ok"' in content and "Nguyễn Văn An" in content and "× 3" in content
    assert "<html" not in content  # the partial for htmx
    assert 'data-testid="today-heads">3 / 3' in content
    assert 'data-testid="today-total">3 / 3' in content

    second = staff.post(url(door["center"]), {"code": registration.code.lower()}, HTTP_HX_REQUEST="true")
    assert second.status_code == 409
    assert 'data-kind="already"' in second.content.decode()
    assert "Đã soát vé trước đó" in second.content.decode()
    assert CheckIn.objects.filter(registration=registration).count() == 1


def test_a_plain_post_redirects_with_the_result(door):
    session = today_session(w.event(door["center"]))
    registration = w.register(session, 2)
    staff = client_for(door["staff"])
    response = staff.post(url(door["center"]), {"code": registration.code}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert "Đã soát vé" in response.content.decode()
    assert CheckIn.objects.count() == 1


def test_another_centers_ticket_is_refused_here(door):
    theirs = w.register(today_session(w.event(door["other"])), 2)
    response = client_for(door["staff"]).post(url(door["center"]), {"code": theirs.code})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'data-kind="other_center"' in content and "trung tâm khác" in content
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize("case", ["unknown", "unpaid", "cancelled", "empty"])
def test_unknown_unpaid_and_cancelled_tickets_are_refused(door, case):
    session = today_session(w.event(door["center"]), price=50_000)
    code = "ZZZZZZZZZZZZ"
    kind = "unknown"
    status = 404
    if case == "unpaid":
        code, kind, status = w.register(session, 1, method=PaymentMethod.VIETQR).code, "not_paid", 409
    elif case == "cancelled":
        registration = w.register(session, 1, method=PaymentMethod.DOOR)
        services.registration_cancel(actor=None, registration=registration)
        code, kind, status = registration.code, "not_valid", 409
    elif case == "empty":
        code, kind, status = "", "invalid", 400
    response = client_for(door["staff"]).post(url(door["center"]), {"code": code})
    assert response.status_code == status
    assert f'data-kind="{kind}"'.encode() in response.content
    assert CheckIn.objects.count() == 0


def test_a_door_payment_is_taken_at_check_in(door):
    session = today_session(w.event(door["center"]), price=70_000)
    registration = w.register(session, 2, method=PaymentMethod.DOOR)
    response = client_for(door["staff"]).post(url(door["center"]), {"code": registration.code})
    assert response.status_code == 302
    assert registration.payments.get().amount == 140_000
