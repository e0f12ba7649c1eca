"""A logged-in user changes their password from the account page; bad input changes nothing."""

import pytest
from django.test import Client

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/tai-khoan/doi-mat-khau/"
NEW_PASSWORD = "gốm-men-lam-bát-tràng-9"


@pytest.fixture
def user():
    return UserFactory(email=None, phone="+84912777888")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change(client: Client, old: str = PASSWORD, new: str = NEW_PASSWORD, again: str | None = None):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": again or new})


def test_the_account_page_links_to_the_password_change(user):
    html = _client(user).get("/tai-khoan/").content.decode()
    assert f'href="{URL}"' in html and "Đổi mật khẩu" in html


def test_a_user_changes_the_password_and_stays_logged_in(user):
    client = _client(user)
    page = client.get(URL)
    assert page.status_code == 200 and "Đổi mật khẩu" in page.content.decode()
    response = _change(client)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    followed = client.get("/tai-khoan/")
    assert followed.status_code == 200 and "Đã đổi mật khẩu" in followed.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    login = Client().post("/tai-khoan/dang-nhap/", {"username": "0912777888", "password": NEW_PASSWORD})
    assert login.status_code == 302


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"old": "sai-mat-khau-cu"}, "old_password"),
        ({"old": ""}, "old_password"),
        ({"new": "123", "again": "123"}, "new_password2"),
        ({"again": "khác-hoàn-toàn-77"}, "new_password2"),
        ({"new": "", "again": ""}, "new_password1"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(user, data, field):
    response = _change(_client(user), **data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_anonymous_visitor_is_sent_to_the_login():
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")
