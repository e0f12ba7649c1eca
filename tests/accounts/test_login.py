import datetime as dt

import pytest
from django.db import IntegrityError
from django.test import override_settings
from django.utils import timezone

from ocophub.accounts.models import LoginAttempt, User
from ocophub.accounts.phone import normalize_phone
from ocophub.accounts.services import login_locked_until, user_create

from ..factories import PASSWORD, UserFactory


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912 345 678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("024 3825 1234", "+842438251234"),
        ("12345", None),
        ("", None),
        ("00912345678", None),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


def login(client, username, password=PASSWORD):
    return client.post("/tai-khoan/dang-nhap/", {"username": username, "password": password})


def test_login_by_email_is_case_insensitive(client, db):
    UserFactory(email="lan@example.vn")
    response = login(client, "LAN@example.vn")
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_login_by_phone_number_in_any_common_form(client, db):
    user = user_create(actor=None, full_name="Trần Văn Minh", phone="0912 000 111", password=PASSWORD)
    assert user.phone == "+84912000111" and user.email is None
    for form in ("0912000111", "+84 912 000 111"):
        client.logout()
        assert login(client, form).status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_is_refused_with_a_message(client, db):
    UserFactory(email="lan@example.vn")
    response = login(client, "lan@example.vn", "sai")
    assert response.status_code == 400
    assert "không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_redirects_only_to_our_own_pages(client, db):
    UserFactory(email="lan@example.vn")
    response = client.post(
        "/tai-khoan/dang-nhap/?next=https://evil.example/",
        {"username": "lan@example.vn", "password": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    client.logout()
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": "lan@example.vn", "password": PASSWORD, "next": "/tai-khoan/"}
    )
    assert response["Location"] == "/tai-khoan/"


def test_ten_failures_in_a_row_lock_the_login(client, db):
    UserFactory(email="lan@example.vn")
    for _ in range(10):
        assert login(client, "lan@example.vn", "sai").status_code == 400
    locked = login(client, "lan@example.vn")  # even the right password
    assert locked.status_code == 429
    assert "tạm khóa" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # another login is not affected
    UserFactory(email="minh@example.vn")
    assert login(client, "minh@example.vn").status_code == 302


def test_the_lock_counts_the_login_however_it_is_typed(client, db):
    user_create(actor=None, full_name="Minh", phone="0912000222", password=PASSWORD)
    for form in ["0912000222", "+84912000222"] * 5:
        login(client, form, "sai")
    assert login(client, "0912 000 222").status_code == 429


def test_a_success_resets_the_count(client, db):
    UserFactory(email="lan@example.vn")
    for _ in range(9):
        login(client, "lan@example.vn", "sai")
    assert login(client, "lan@example.vn").status_code == 302
    client.logout()
    for _ in range(9):
        login(client, "lan@example.vn", "sai")
    assert login(client, "lan@example.vn").status_code == 302


@override_settings(LOGIN_LOCK_MINUTES=15)
def test_the_lock_ends_after_the_lock_time(db):
    now = timezone.now()
    for minutes in range(10):
        LoginAttempt.objects.create(
            login="lan@example.vn", succeeded=False, at=now - dt.timedelta(minutes=minutes)
        )
    until = login_locked_until("lan@example.vn", now=now)
    assert until == now + dt.timedelta(minutes=15)
    assert login_locked_until("lan@example.vn", now=now + dt.timedelta(minutes=16)) is None


def test_a_user_needs_an_email_or_a_phone(db):
    with pytest.raises(IntegrityError):
        User.objects.create(full_name="Không ai", email=None, phone=None)


def test_logout_needs_post_and_ends_the_session(client, db):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    response = client.post("/tai-khoan/dang-xuat/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
