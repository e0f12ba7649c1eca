"""A visitor makes their own customer account, and anyone with an e-mail resets a forgotten password;
both are rate-limited per client address in the database."""

import re

import pytest
from django.test import Client, override_settings

from ocophub.accounts.models import Role, RoleGrant, User
from ocophub.common.models import RateCounter

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.44"
NEW_PASSWORD = "gốm-men-lam-bát-tràng-9"


def _signup(client, **overrides):
    data = {
        "full_name": "Phạm Thu Trang",
        "email": "trang@example.vn",
        "phone": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return client.post("/tai-khoan/dang-ky/", data, REMOTE_ADDR=ADDRESS)


def test_a_visitor_signs_up_as_a_customer_and_is_logged_in():
    client = Client()
    page = client.get("/tai-khoan/dang-ky/")
    assert page.status_code == 200 and "Tạo tài khoản" in page.content.decode()
    response = _signup(client, next="/cua-hang/gio-hang/")
    assert response.status_code == 302 and response["Location"] == "/cua-hang/gio-hang/"
    user = User.objects.get(email="trang@example.vn")
    assert user.full_name == "Phạm Thu Trang" and user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert list(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == [Role.CUSTOMER]


def test_signing_up_by_phone_number_only():
    response = _signup(Client(), email="", phone="0912 777 888")
    assert response.status_code == 302
    assert User.objects.get(phone="+84912777888").email is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "", "phone": ""}, "email", "Cần e-mail hoặc số điện thoại"),
        ({"password2": "khac-hoan-toan-123"}, "password2", "không khớp"),
        ({"password1": "123", "password2": "123"}, "password1", ""),
        ({"phone": "12345"}, "phone", "Số điện thoại không hợp lệ"),
        ({"email": "khong-phai-email"}, "email", ""),
        ({"full_name": ""}, "full_name", ""),
    ],
)
def test_bad_sign_ups_are_refused_with_a_message_and_nothing_written(overrides, field, message):
    response = _signup(Client(), **overrides)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_an_address_already_in_use_is_refused():
    UserFactory(email="trang@example.vn")
    response = _signup(Client())
    assert response.status_code == 400
    assert "đã được dùng" in response.content.decode() or "already" not in response.content.decode()
    assert "email" in response.context["form"].errors
    assert User.objects.count() == 1


@override_settings(RATE_SIGNUP_PER_ADDRESS="3/3600")
def test_sign_ups_per_address_are_rate_limited():
    for n in range(3):
        assert _signup(Client(), email=f"k{n}@example.vn").status_code == 302
    limited = _signup(Client(), email="k9@example.vn")
    assert limited.status_code == 429
    assert "Quá nhiều lần thử" in limited.content.decode()
    assert User.objects.count() == 3
    assert _signup(Client(), email="k9@example.vn", phone="").status_code == 429
    other = Client().post(
        "/tai-khoan/dang-ky/",
        {"full_name": "A", "email": "k9@example.vn", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        REMOTE_ADDR="198.51.100.1",
    )
    assert other.status_code == 302


def test_a_logged_in_user_is_sent_to_the_account_page(customer):
    client = Client()
    client.force_login(customer)
    assert client.get("/tai-khoan/dang-ky/")["Location"] == "/tai-khoan/"


# --- password reset --------------------------------------------------------------------------------


def _ask(client, email, address=ADDRESS):
    return client.post("/tai-khoan/quen-mat-khau/", {"email": email}, REMOTE_ADDR=address)


def test_a_forgotten_password_is_reset_through_the_emailed_link(mailoutbox):
    user = UserFactory(email="lan@example.vn")
    client = Client()
    assert "Quên mật khẩu" in client.get("/tai-khoan/dang-nhap/").content.decode()
    response = _ask(client, "LAN@example.vn")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert "Hãy kiểm tra e-mail" in client.get(response["Location"]).content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["lan@example.vn"] and "đặt mật khẩu mới" in mail.subject
    link = re.search(r"http://testserver(/tai-khoan/dat-lai-mat-khau/\S+/)", mail.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "Đặt mật khẩu mới" in form_page.content.decode()
    post_to = form_page.redirect_chain[-1][0]
    done = client.post(post_to, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/tai-khoan/dat-lai-mat-khau/xong/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    # the link worked once
    again = client.get(link, follow=True)
    assert "đã hết hạn hoặc đã được dùng" in again.content.decode()
    login = Client().post("/tai-khoan/dang-nhap/", {"username": "lan@example.vn", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(mailoutbox):
    response = _ask(Client(), "ai-do@example.vn")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert mailoutbox == []


def test_a_bad_address_is_refused_with_a_message():
    response = _ask(Client(), "khong-phai-email")
    assert response.status_code == 400
    assert "email" in response.context["form"].errors


@override_settings(RATE_PASSWORD_RESET_PER_EMAIL="2/3600")
def test_resets_per_email_are_limited_quietly(mailoutbox):
    UserFactory(email="lan@example.vn")
    for _ in range(4):
        response = _ask(Client(), "lan@example.vn", address=f"198.51.100.{_}")
        assert response.status_code == 302  # the same answer: nobody learns the limit was hit
    assert len(mailoutbox) == 2


@override_settings(RATE_PASSWORD_RESET_PER_ADDRESS="3/3600")
def test_resets_per_address_are_limited_with_a_429(mailoutbox):
    for n in range(3):
        assert _ask(Client(), f"k{n}@example.vn").status_code == 302
    limited = _ask(Client(), "lan@example.vn")
    assert limited.status_code == 429
    assert "Quá nhiều lần thử" in limited.content.decode()
    assert RateCounter.objects.get(scope="password_reset:address", key=ADDRESS).hits == 3
