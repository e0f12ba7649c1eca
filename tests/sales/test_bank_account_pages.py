"""Bank-account pages: a center's managers keep the center's account, a producer's members the
producer's; the model's checks (six-digit BIN, account number of letters and digits) give Vietnamese
field errors and write nothing; the VietQR code shows only for a valid account in use."""

import pytest
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.common.errors import Conflict, DomainError
from ocophub.sales import services
from ocophub.sales.models import BankAccount

from ..conftest import make_user
from . import world as w
from .test_settlement_pages import client_of

pytestmark = pytest.mark.django_db

VALID = {
    "bank_name": "BIDV",
    "bank_bin": "970418",
    "account_number": "12010000123456",
    "holder": "TT OCOP DUYEN THAI",
    "active": "on",
}


@pytest.fixture
def world(loaded_places):
    return w.build()


def center_url(center) -> str:
    return f"/lam-viec/trung-tam/{center.slug}/tai-khoan-ngan-hang/"


def producer_url(producer) -> str:
    return f"/lam-viec/chu-the/{producer.slug}/tai-khoan-ngan-hang/"


def test_a_manager_records_the_centers_first_account_and_sees_its_code(world):
    assert not BankAccount.objects.filter(center=world.center_b).exists()
    client = client_of(world.manager_b)
    page = client.get(center_url(world.center_b))
    assert page.status_code == 200 and 'data-testid="no-account"' in page.content.decode()
    response = client.post(center_url(world.center_b), VALID)
    assert response.status_code == 302 and response["Location"] == center_url(world.center_b)
    account = BankAccount.objects.get(center=world.center_b)
    assert (account.bank_bin, account.account_number, account.active) == ("970418", "12010000123456", True)
    assert 'data-testid="account-qr"' in client.get(center_url(world.center_b)).content.decode()


def test_a_manager_edits_and_deactivates_the_account_and_the_code_goes(world):
    client = client_of(world.manager_a)
    assert 'data-testid="account-qr"' in client.get(center_url(world.center_a)).content.decode()
    data = {**VALID, "account_number": "113300001111"}
    data.pop("active")
    assert client.post(center_url(world.center_a), data).status_code == 302
    account = BankAccount.objects.get(center=world.center_a)
    assert account.account_number == "113300001111" and not account.active
    html = client.get(center_url(world.center_a)).content.decode()
    assert 'data-testid="account-qr"' not in html
    assert 'data-testid="account-state">đã ngừng dùng<' in html
    # a deactivated account gives no transfer code to the counter or the shop
    from ocophub.sales.views.pos import center_bank_account

    world.center_a.refresh_from_db()
    assert center_bank_account(world.center_a) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bank_bin", ""),
        ("bank_bin", "97041"),
        ("bank_bin", "97O415"),
        ("bank_bin", "97041A"),
        ("bank_bin", "9704150"),
        ("account_number", ""),
        ("account_number", "0011-0019"),
        ("account_number", "0011 0019"),
        ("account_number", "1" * 20),
        ("holder", ""),
        ("holder", "X" * 121),
        ("bank_name", ""),
    ],
)
def test_bad_input_is_a_vietnamese_field_error_and_nothing_is_written(world, field, value):
    before = list(BankAccount.objects.order_by("pk").values())
    response = client_of(world.manager_a).post(center_url(world.center_a), {**VALID, field: value})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert list(BankAccount.objects.order_by("pk").values()) == before
    html = response.content.decode()
    assert "field-error" in html
    if field == "bank_bin" and len(value) == 6:
        assert "Sáu chữ số" in html


def test_the_producers_member_records_the_payout_account(world):
    client = client_of(world.member_b)
    assert client.get(producer_url(world.producer_b)).status_code == 200
    response = client.post(producer_url(world.producer_b), {**VALID, "holder": "HO TRA SEN"})
    assert response.status_code == 302
    assert BankAccount.objects.get(producer=world.producer_b).holder == "HO TRA SEN"


def test_scopes_other_people_get_404_and_visitors_sign_in(world):
    center = center_url(world.center_a)
    producer = producer_url(world.producer_a)
    before = list(BankAccount.objects.order_by("pk").values())
    for user in (world.manager_b, world.staff_a, world.member_a):
        assert client_of(user).get(center).status_code == 404
        assert client_of(user).post(center, VALID).status_code == 404
    # payouts go where the producer says: not the center's managers, who make them
    for user in (world.member_b, world.manager_a, world.staff_a):
        assert client_of(user).get(producer).status_code == 404
        assert client_of(user).post(producer, VALID).status_code == 404
    assert client_of(make_user(Role.CITY_ADMIN)).get(producer).status_code == 200
    for url in (center, producer):
        assert Client().get(url).status_code == 302
        assert Client().post(url, VALID).status_code == 302
    assert (
        client_of(world.manager_a).get("/lam-viec/trung-tam/khong-co/tai-khoan-ngan-hang/").status_code == 404
    )
    assert list(BankAccount.objects.order_by("pk").values()) == before


def test_the_services_check_the_owner_and_the_shape(world):
    with pytest.raises(DomainError):
        services.bank_account_create(
            actor=None, center=world.center_b, producer=world.producer_b, **{**VALID, "active": True}
        )
    with pytest.raises(Conflict):
        services.bank_account_create(actor=None, center=world.center_a, **{**VALID, "active": True})
    account = BankAccount.objects.get(center=world.center_a)
    with pytest.raises(DomainError) as error:
        services.bank_account_update(actor=None, account=account, bank_bin="12")
    assert "bank_bin" in error.value.fields
    account.refresh_from_db()
    assert account.bank_bin == "970415"
    updated = services.bank_account_update(actor=None, account=account, holder="  TT OCOP BT  ")
    assert updated.holder == "TT OCOP BT"
