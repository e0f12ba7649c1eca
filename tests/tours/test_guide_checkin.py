"""The guide's check-in at the meeting point: a scan checks the party in once, a second scan says
"already checked in", another operator's ticket, an unknown code and an unpaid ticket are refused."""

import pytest
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.tours import services
from ocophub.tours.models import CheckIn

from ..conftest import make_user
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    operator = w.operator()
    other = w.operator()
    departure = w.departure(w.tour(operator))
    booking = w.book(departure, 2, 1, name="Lê Văn Cường")
    services.booking_pay(actor=None, booking=booking, reference="FT1")
    theirs = w.book(w.departure(w.tour(other)), 2)
    services.booking_pay(actor=None, booking=theirs)
    guide = make_user(Role.OPERATOR_MEMBER, scope_id=operator.pk)
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(guide)
    return {"operator": operator, "booking": booking, "theirs": theirs, "client": client}


def url(operator) -> str:
    return f"/lam-viec/tour/{operator.pk}/soat-ve/"


def test_the_page_has_the_scanner_field_and_the_camera_button(meeting):
    response = meeting["client"].get(url(meeting["operator"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="checkin-code"' in html and "autofocus" in html and 'data-testid="camera-button"' in html
    assert "events/checkin.js" in html


def test_a_scan_checks_the_party_in_once_and_a_second_scan_says_so(meeting):
    client, booking = meeting["client"], meeting["booking"]
    response = client.post(url(meeting["operator"]), {"code": booking.code.lower()}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-kind="ok"' in response.content.decode() and "Lê Văn Cường" in response.content.decode()
    response = client.post(url(meeting["operator"]), {"code": booking.code}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert 'data-kind="already"' in response.content.decode()
    assert CheckIn.objects.filter(booking=booking).count() == 1
    assert CheckIn.objects.get(booking=booking).heads == 3


def test_without_htmx_a_check_in_redirects_with_a_message(meeting):
    response = meeting["client"].post(url(meeting["operator"]), {"code": meeting["booking"].code})
    assert response.status_code == 302
    assert CheckIn.objects.count() == 1


def test_another_operators_ticket_an_unknown_code_and_an_unpaid_one_are_refused(meeting):
    client = meeting["client"]
    response = client.post(url(meeting["operator"]), {"code": meeting["theirs"].code}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and 'data-kind="other_operator"' in response.content.decode()
    response = client.post(url(meeting["operator"]), {"code": "TKHONGCOMA"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 404 and 'data-kind="unknown"' in response.content.decode()
    unpaid = w.book(meeting["booking"].departure, 1)
    response = client.post(url(meeting["operator"]), {"code": unpaid.code}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and 'data-kind="not_paid"' in response.content.decode()
    response = client.post(url(meeting["operator"]), {"code": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_the_door_is_404_for_another_operators_guide_and_a_center_staff(meeting):
    for user in (
        make_user(Role.OPERATOR_MEMBER, scope_id=w.operator().pk),
        make_user(Role.CENTER_STAFF, scope_id=w.center().pk),
    ):
        client = Client()
        client.force_login(user)
        assert client.post(url(meeting["operator"]), {"code": meeting["booking"].code}).status_code == 404
    assert not CheckIn.objects.exists()
