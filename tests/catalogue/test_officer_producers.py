"""The unit officers' producer pages: register, edit and list the producers of their unit."""

import pytest

from ocophub.catalogue import services
from ocophub.catalogue.models import Producer
from ocophub.places.models import AdministrativeUnit, Era, Level

from ..helpers import assert_fixed_queries

URL = "/lam-viec/don-vi/chu-the/"


def _current(name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, name__endswith=name)


@pytest.fixture
def bat_trang(loaded_places):
    return _current("Bát Tràng")


@pytest.fixture
def thuong_tin(loaded_places):
    return _current("Thường Tín")


def _form(unit: AdministrativeUnit, **changes: str) -> dict[str, str]:
    data = {
        "name": "HTX Gốm Men Rạn",
        "kind": "cooperative",
        "commune": str(unit.pk),
        "registration_number": "0101234567",
        "representative": "Nguyễn Văn A",
        "address": "Thôn 1",
        "phone": "0912345678",
        "email": "gom@example.vn",
    }
    data.update(changes)
    return data


def test_an_officer_registers_a_producer_of_a_commune_of_the_unit(client, gia_lam_officer, bat_trang):
    client.force_login(gia_lam_officer)
    assert client.get(f"{URL}tao/").status_code == 200
    response = client.post(f"{URL}tao/", _form(bat_trang))
    producer = Producer.objects.get(name="HTX Gốm Men Rạn")
    assert response.status_code == 302 and response["Location"] == f"{URL}{producer.pk}/"
    assert producer.commune == bat_trang and producer.registration_number == "0101234567"
    page = client.get(response["Location"]).content.decode()
    assert "HTX Gốm Men Rạn" in page and "Đã đăng ký chủ thể" in page


def test_the_commune_is_picked_by_search_within_the_unit(client, gia_lam_officer, bat_trang):
    client.force_login(gia_lam_officer)
    html = client.get(f"{URL}xa-phuong/?commune_query=bat trang").content.decode()
    assert f'value="{bat_trang.pk}"' in html
    # a commune of another district is not offered
    assert "Thường Tín" not in client.get(f"{URL}xa-phuong/?commune_query=thuong tin").content.decode()
    # the form itself offers no commune until something is typed
    form = client.get(f"{URL}tao/").content.decode()
    assert 'name="commune"' not in form


def test_a_commune_outside_the_unit_is_a_field_error(client, gia_lam_officer, thuong_tin):
    client.force_login(gia_lam_officer)
    response = client.post(f"{URL}tao/", _form(thuong_tin))
    assert response.status_code == 400
    assert "Không phải xã, phường thuộc đơn vị của bạn." in response.content.decode()
    assert not Producer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Bắt buộc"),
        ({"name": "x" * 201}, "201"),
        ({"kind": "bank"}, "Loại chủ thể không tồn tại."),
        ({"email": "not-an-address"}, "Không phải địa chỉ e-mail."),
        ({"commune": ""}, "Tìm xã, phường và chọn trong các kết quả."),
        ({"commune": "99999999999999999999"}, "Không phải xã, phường thuộc đơn vị của bạn."),
        ({"registration_number": "1" * 31}, "31"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, gia_lam_officer, bat_trang, changes, message):
    client.force_login(gia_lam_officer)
    response = client.post(f"{URL}tao/", _form(bat_trang, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Producer.objects.exists()


def test_an_officer_edits_a_producer_of_the_unit(client, gia_lam_officer, bat_trang):
    producer = services.producer_save(actor=None, name="HTX Cũ", kind="cooperative", commune=bat_trang)
    client.force_login(gia_lam_officer)
    form = client.get(f"{URL}{producer.pk}/sua/").content.decode()
    assert 'value="HTX Cũ"' in form and f'value="{bat_trang.pk}"' in form  # the commune stays chosen
    response = client.post(f"{URL}{producer.pk}/sua/", _form(bat_trang, name="HTX Mới"))
    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.name == "HTX Mới" and producer.phone == "0912345678"


def test_a_producer_outside_the_unit_is_not_found(client, thuong_tin_officer, bat_trang):
    producer = services.producer_save(actor=None, name="HTX Gia Lâm", kind="cooperative", commune=bat_trang)
    client.force_login(thuong_tin_officer)
    assert client.get(f"{URL}{producer.pk}/").status_code == 404
    assert client.get(f"{URL}{producer.pk}/sua/").status_code == 404
    response = client.post(f"{URL}{producer.pk}/sua/", _form(bat_trang, name="Đổi tên"))
    assert response.status_code == 404
    producer.refresh_from_db()
    assert producer.name == "HTX Gia Lâm"
    assert "HTX Gia Lâm" not in client.get(URL).content.decode()


def test_the_pages_are_for_officers_and_the_city(client, customer, city_admin, loaded_places):
    assert client.get(URL).status_code == 302  # anonymous: to the login page
    client.force_login(customer)
    assert client.get(URL).status_code == 404
    client.force_login(city_admin)
    assert client.get(URL).status_code == 200


def test_the_list_searches_and_runs_a_fixed_number_of_queries(client, gia_lam_officer, bat_trang, thuong_tin):
    services.producer_save(actor=None, name="HTX Gốm ngoài", kind="cooperative", commune=thuong_tin)
    client.force_login(gia_lam_officer)
    made = []

    def grow(n: int) -> None:
        for _ in range(n):
            made.append(
                services.producer_save(
                    actor=None, name=f"HTX Gốm {len(made)}", kind="cooperative", commune=bat_trang
                )
            )

    # past a page of 25: the page's rows stay as many, their relations come with them
    assert_fixed_queries(lambda: client.get(URL), grow, steps=(3, 40))
    html = client.get(URL).content.decode()
    assert "HTX Gốm ngoài" not in html and "Trang 1 / 2" in html
    found = client.get(URL, {"q": "gom 3"}).content.decode()
    assert "HTX Gốm 3<" in found and "HTX Gốm 1<" not in found


def test_a_producer_recorded_before_the_reform_keeps_its_old_commune(client, gia_lam_officer, loaded_places):
    old = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.COMMUNE, code=583)
    producer = services.producer_save(actor=None, name="HTX Xưa", kind="cooperative", commune=old)
    client.force_login(gia_lam_officer)
    # the search offers today's communes only
    html = client.get(f"{URL}xa-phuong/?commune_query=bat trang").content.decode()
    assert f'value="{old.pk}"' not in html
    response = client.post(f"{URL}{producer.pk}/sua/", _form(old, name="HTX Xưa và Nay"))
    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.name == "HTX Xưa và Nay" and producer.commune == old


def test_searches_with_characters_no_database_stores_are_refused_not_crashed(
    client, gia_lam_officer, bat_trang
):
    client.force_login(gia_lam_officer)
    # the site refuses NUL characters in a request (400); a page must never fail on them (500)
    for url, params in (
        (URL, {"q": "go\x00m"}),
        (f"{URL}xa-phuong/", {"commune_query": "bat\x00 trang"}),
        (f"{URL}lang-nghe/", {"village_query": "\x00"}),
    ):
        assert client.get(url, params).status_code in (200, 400)
    response = client.post(f"{URL}tao/", _form(bat_trang, name="HTX\x00", commune_query="bat\x00"))
    assert response.status_code == 400
    assert not Producer.objects.exists()


def test_without_scripts_find_lists_the_matching_communes_and_writes_nothing(
    client, gia_lam_officer, bat_trang
):
    client.force_login(gia_lam_officer)
    response = client.post(f"{URL}tao/", {"name": "HTX Mới", "commune_query": "bat trang", "find": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and f'value="{bat_trang.pk}"' in html
    assert 'value="HTX Mới"' in html and "field-error" not in html
    assert not Producer.objects.exists()
