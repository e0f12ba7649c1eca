"""The site shell serves everything itself: no CDN, accessible basics, custom error pages."""

import re

import pytest

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


@pytest.mark.parametrize("path", ["/", "/tai-khoan/dang-nhap/", "/api/v1/docs", "/khong-co-trang-nay/"])
def test_pages_load_nothing_from_other_hosts(client, loaded_places, path):
    html = client.get(path).content.decode()
    assert not EXTERNAL.search(html), EXTERNAL.search(html).group(0)


def test_home_has_the_accessibility_basics(client, loaded_places):
    html = client.get("/").content.decode()
    assert 'href="#main"' in html and 'id="main"' in html  # skip link
    assert '<label for="language-select"' in html
    assert 'name="viewport"' in html
    assert "htmx" in html  # served from django-htmx's own copy


def test_login_fields_have_labels_and_autocomplete(client, db):
    html = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html


def test_unknown_pages_get_our_404(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_the_menu_offers_what_the_user_may_do(client, loaded_places, city_admin, customer):
    client.force_login(customer)
    html = client.get("/").content.decode()
    assert "/san-pham/nhap-excel/" not in html and "/ke-hoach/" not in html
    client.force_login(city_admin)
    html = client.get("/").content.decode()
    assert (
        "/san-pham/nhap-excel/" in html
        and "/ke-hoach/" in html
        and "/san-pham/chung-nhan-sap-het-han/" in html
    )


def test_a_form_sent_without_its_csrf_token_gets_our_vietnamese_page(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/tai-khoan/dang-nhap/", {"username": "a", "password": "b"}
    )
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
