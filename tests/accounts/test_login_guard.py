"""Both login pages share one lock, kept in the database: by login and client address, and by address.

An attacker who knows only a login locks it for their own address, never for its owner elsewhere.
"""

import pytest
from django.test import override_settings

from ocophub.accounts.models import LoginAttempt, Role
from ocophub.accounts.services import role_grant

from ..factories import PASSWORD, UserFactory

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


@pytest.fixture
def city_admin_user(db):
    user = UserFactory(email="quantri@ocophub.vn", is_staff=True)
    role_grant(actor=None, user=user, role=Role.CITY_ADMIN)
    return user


def admin_login(client, username, password=PASSWORD, address=ATTACKER):
    return client.post(
        "/quan-tri/login/?next=/quan-tri/",
        {"username": username, "password": password, "next": "/quan-tri/"},
        REMOTE_ADDR=address,
    )


def site_login(client, username, password=PASSWORD, address=ATTACKER):
    return client.post(
        "/tai-khoan/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_the_admin_login_locks_after_ten_failures_and_counts_them(client, city_admin_user):
    for _ in range(10):
        response = admin_login(client, "quantri@ocophub.vn", "sai")
        assert response.status_code == 400
    assert LoginAttempt.objects.filter(login="quantri@ocophub.vn", succeeded=False).count() == 10
    locked = admin_login(client, "quantri@ocophub.vn")  # the right password, too late
    assert locked.status_code == 429
    assert "tạm khóa" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginAttempt.objects.filter(succeeded=True).count() == 0


def test_a_right_admin_login_is_counted_as_a_success(client, city_admin_user):
    response = admin_login(client, "quantri@ocophub.vn")
    assert response.status_code == 302 and response["Location"] == "/quan-tri/"
    assert LoginAttempt.objects.get().succeeded


def test_the_two_login_pages_share_the_count(client, city_admin_user):
    for _ in range(5):
        admin_login(client, "quantri@ocophub.vn", "sai")
        site_login(client, "quantri@ocophub.vn", "sai")
    assert site_login(client, "quantri@ocophub.vn").status_code == 429
    assert admin_login(client, "quantri@ocophub.vn").status_code == 429


def test_an_attacker_cannot_lock_the_owner_out(client, city_admin_user):
    for _ in range(25):
        admin_login(client, "quantri@ocophub.vn", "sai", address=ATTACKER)
    assert admin_login(client, "quantri@ocophub.vn", address=ATTACKER).status_code == 429
    assert admin_login(client, "quantri@ocophub.vn", address=OWNER).status_code == 302


@override_settings(LOGIN_MAX_FAILURES_PER_ADDRESS=30)
def test_one_address_guessing_many_logins_is_stopped(client, db):
    UserFactory(email="lan@example.vn")
    for n in range(30):  # never ten in a row for one login
        assert site_login(client, f"doan{n}@example.vn", "sai").status_code == 400
    refused = site_login(client, "lan@example.vn")
    assert refused.status_code == 429
    assert "từ địa chỉ này" in refused.content.decode()
    assert admin_login(client, "lan@example.vn").status_code == 429
    assert site_login(client, "lan@example.vn", address=OWNER).status_code == 302


def test_a_non_staff_user_failing_the_admin_login_is_counted(client, db):
    UserFactory(email="khach@example.vn")
    response = admin_login(client, "khach@example.vn")
    assert response.status_code == 400
    assert not LoginAttempt.objects.get().succeeded


def test_an_empty_form_counts_nothing(client, db):
    assert admin_login(client, "", "").status_code == 400
    assert site_login(client, "", "").status_code == 400
    assert not LoginAttempt.objects.exists()


def test_a_forged_forwarded_for_does_not_change_the_address(client, db):
    UserFactory(email="lan@example.vn")
    for n in range(10):
        client.post(
            "/tai-khoan/dang-nhap/",
            {"username": "lan@example.vn", "password": "sai"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    assert set(LoginAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert site_login(client, "lan@example.vn", address=ATTACKER).status_code == 429


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_the_address_it_saw_counts(client, db):
    UserFactory(email="lan@example.vn")
    client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "lan@example.vn", "password": "sai"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}",
    )
    assert LoginAttempt.objects.get().ip_address == ATTACKER
