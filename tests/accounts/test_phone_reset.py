"""A customer who logs in by phone resets a forgotten password with a code texted to that phone:
hashed, single use, short-lived, dead after a few wrong tries, rate-limited, and telling nobody which
phones have accounts."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from ocophub.accounts.models import PhoneResetCode, User
from ocophub.common import sms
from ocophub.common.models import RateCounter

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.45"
NEW_PASSWORD = "gốm-men-lam-bát-tràng-9"
PHONE = "+84912777888"


@pytest.fixture
def phone_user():
    return UserFactory(email=None, phone=PHONE)


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Ask for a code; the text goes out when the code is stored (on commit)."""

    def run(client: Client, value: str = "0912 777 888", address: str = ADDRESS):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/tai-khoan/quen-mat-khau/", {"email": value}, REMOTE_ADDR=address)

    return run


def _enter(
    client: Client, code: str, password: str = NEW_PASSWORD, address: str = ADDRESS, again: str | None = None
):
    return client.post(
        "/tai-khoan/quen-mat-khau/nhap-ma/",
        {"code": code, "new_password1": password, "new_password2": again or password},
        REMOTE_ADDR=address,
    )


def _code() -> str:
    assert sms.outbox, "a code was texted"
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _unchanged(user: User) -> bool:
    user.refresh_from_db()
    return user.check_password(PASSWORD) and not user.check_password(NEW_PASSWORD)


def test_a_phone_customer_resets_the_password_with_the_texted_code(phone_user, mailoutbox, ask):
    client = Client()
    response = ask(client)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/quen-mat-khau/nhap-ma/"
    assert mailoutbox == [] and len(sms.outbox) == 1 and sms.outbox[0].phone == PHONE
    code = _code()
    assert "OCOP Hub" in sms.outbox[0].text and "10 phút" in sms.outbox[0].text
    row = PhoneResetCode.objects.get(user=phone_user)
    assert row.digest != code and len(row.digest) == 64  # only a keyed hash is kept
    page = client.get("/tai-khoan/quen-mat-khau/nhap-ma/")
    assert page.status_code == 200 and "Nhập mã" in page.content.decode()
    done = _enter(client, code)
    assert done.status_code == 302 and done["Location"] == "/tai-khoan/dat-lai-mat-khau/xong/"
    phone_user.refresh_from_db()
    assert phone_user.check_password(NEW_PASSWORD)
    login = Client().post("/tai-khoan/dang-nhap/", {"username": "0912777888", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_a_used_code_is_refused_the_second_time(phone_user, ask):
    client = Client()
    ask(client)
    code = _code()
    assert _enter(client, code).status_code == 302
    other = Client()
    ask(other, address="198.51.100.9")
    sms.outbox.pop()  # a newer code exists; the used one is still refused as used
    response = _enter(other, code, password="mật-khẩu-khác-hẳn-42")
    assert response.status_code == 400
    assert "Mã này đã được dùng" in response.content.decode()
    phone_user.refresh_from_db()
    assert phone_user.check_password(NEW_PASSWORD)


def test_an_expired_code_is_refused_and_changes_nothing(phone_user, ask):
    client = Client()
    ask(client)
    code = _code()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        response = _enter(client, code)
    assert response.status_code == 400
    assert "Mã này đã hết hạn" in response.content.decode()
    assert _unchanged(phone_user)


def test_a_new_code_ends_the_older_one(phone_user, ask):
    client = Client()
    ask(client)
    first = _code()
    ask(client)
    second = _code()
    if first == second:
        pytest.skip("the two random codes happen to be equal")
    response = _enter(client, first)
    assert response.status_code == 400 and "hết hạn" in response.content.decode()
    assert _enter(client, second).status_code == 302


def test_five_wrong_codes_kill_the_code(phone_user, ask):
    client = Client()
    ask(client)
    code = _code()
    for n in range(4):
        response = _enter(client, _wrong(code))
        assert response.status_code == 400 and "Mã không đúng" in response.content.decode(), n
    fifth = _enter(client, _wrong(code))
    assert fifth.status_code == 400 and "sai 5 lần" in fifth.content.decode()
    assert PhoneResetCode.objects.get(user=phone_user).wrong_tries == 5
    # even the right code no longer works
    right = _enter(client, code)
    assert right.status_code == 400 and "Đã thử sai quá nhiều lần" in right.content.decode()
    assert _unchanged(phone_user)


@pytest.mark.parametrize(
    ("code", "password", "again", "field"),
    [
        ("", NEW_PASSWORD, None, "code"),
        ("12a456", NEW_PASSWORD, None, "code"),
        ("1234567890123", NEW_PASSWORD, None, "code"),
        ("123456", "123", None, "new_password1"),
        ("123456", NEW_PASSWORD, "khác-hoàn-toàn-77", "new_password2"),
    ],
)
def test_bad_input_is_refused_with_a_field_message(phone_user, code, password, again, field, ask):
    client = Client()
    ask(client)
    response = _enter(client, code, password=password, again=again)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert PhoneResetCode.objects.get(user=phone_user).wrong_tries == 0  # not a try at the code
    assert _unchanged(phone_user)


def test_an_unknown_phone_gets_the_same_answers_and_no_text(phone_user, ask):
    known, unknown = Client(), Client()
    a, b = ask(known), ask(unknown, "0988 111 222", address="198.51.100.7")
    assert a.status_code == b.status_code == 302 and a["Location"] == b["Location"]
    assert [m.phone for m in sms.outbox] == [PHONE]
    code = _code()
    page_a, page_b = known.get(a["Location"]), unknown.get(b["Location"])
    assert page_a.status_code == page_b.status_code == 200
    assert "Nhập mã" in page_a.content.decode() and "Nhập mã" in page_b.content.decode()
    for client, address in ((known, ADDRESS), (unknown, "198.51.100.7")):
        for _ in range(5):
            response = _enter(client, _wrong(code), address=address)
        assert response.status_code == 400 and "sai 5 lần" in response.content.decode()
    assert not PhoneResetCode.objects.filter(user__phone="+84988111222").exists()


def test_the_code_page_needs_a_phone_first():
    response = Client().get("/tai-khoan/quen-mat-khau/nhap-ma/")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/quen-mat-khau/"


def test_a_value_neither_email_nor_phone_is_refused(ask):
    response = ask(Client(), "12345")
    assert response.status_code == 400
    assert "số điện thoại" in response.context["form"].errors["email"][0]


@override_settings(RATE_PASSWORD_RESET_PER_PHONE="2/3600")
def test_codes_per_phone_are_limited_quietly(phone_user, ask):
    for n in range(4):
        response = ask(Client(), address=f"198.51.100.{n}")
        assert response.status_code == 302 and response["Location"] == "/tai-khoan/quen-mat-khau/nhap-ma/"
    assert len(sms.outbox) == 2
    assert PhoneResetCode.objects.filter(user=phone_user).count() == 2


@override_settings(RATE_PASSWORD_RESET_PER_ADDRESS="2/3600")
def test_code_requests_per_address_are_limited_with_a_429(phone_user, ask):
    assert ask(Client()).status_code == 302
    assert ask(Client(), "0988 111 222").status_code == 302
    limited = ask(Client())
    assert limited.status_code == 429 and "Quá nhiều lần thử" in limited.content.decode()
    assert len(sms.outbox) == 1


@override_settings(RATE_PASSWORD_RESET_CODE_PER_ADDRESS="3/3600")
def test_code_tries_per_address_are_limited_with_a_429(phone_user, ask):
    client = Client()
    ask(client)
    code = _code()
    for _ in range(3):
        assert _enter(client, _wrong(code)).status_code == 400
    limited = _enter(client, code)
    assert limited.status_code == 429 and "Quá nhiều lần thử" in limited.content.decode()
    assert _unchanged(phone_user)
    assert RateCounter.objects.get(scope="password_reset_code:address", key=ADDRESS).hits == 3
