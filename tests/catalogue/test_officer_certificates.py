"""The unit officers' certificate pages: record, revoke and watch the certificates of their unit."""

import datetime as dt

import pytest

from ocophub.catalogue import services
from ocophub.catalogue.demo import reference_load
from ocophub.catalogue.models import Certificate
from ocophub.places.models import AdministrativeUnit, Era, Level

from ..helpers import assert_fixed_queries

BASE = "/lam-viec/don-vi/"


def _commune(name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, name__endswith=name)


@pytest.fixture
def goods(loaded_places, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 26, 3, tzinfo=dt.UTC))
    reference_load()
    ours = services.producer_save(
        actor=None, name="HTX Gốm Bát Tràng", kind="cooperative", commune=_commune("Bát Tràng")
    )
    theirs = services.producer_save(
        actor=None, name="HTX Mây tre Thường Tín", kind="cooperative", commune=_commune("Thường Tín")
    )
    vase = services.product_save(actor=None, producer=ours, name="Bình gốm men lam")
    basket = services.product_save(actor=None, producer=theirs, name="Giỏ mây")
    return ours, theirs, vase, basket


def _certificate(product, **changes: str) -> dict[str, str]:
    data = {
        "product": str(product.pk),
        "stars": "4",
        "deciding_level": "province",
        "decision_number": "123/QĐ-UBND",
        "decision_date": "15/03/2026",
        "issuer": "UBND thành phố Hà Nội",
    }
    data.update(changes)
    return data


def test_an_officer_records_a_certificate_valid_36_months(client, gia_lam_officer, goods):
    ours, _theirs, vase, _basket = goods
    client.force_login(gia_lam_officer)
    response = client.post(f"{BASE}chu-the/{ours.pk}/chung-nhan/", _certificate(vase))
    assert response.status_code == 302
    certificate = Certificate.objects.get(product=vase)
    assert certificate.stars == 4 and certificate.decision_date == dt.date(2026, 3, 15)
    assert certificate.valid_until == dt.date(2029, 3, 15) and certificate.recorded_by == gia_lam_officer
    page = client.get(response["Location"]).content.decode()
    assert "15/03/2029" in page and "còn 840 ngày" in page
    assert "Đã nhập chứng nhận 123/QĐ-UBND: 4 sao, hiệu lực đến 15/03/2029." in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"decision_number": ""}, "Bắt buộc."),
        ({"decision_number": "1" * 61}, "61"),
        ({"decision_date": "2026-13-45"}, "Một ngày dạng dd/mm/yyyy."),
        ({"decision_date": "31/02/2026"}, "Một ngày dạng dd/mm/yyyy."),
        ({"decision_date": "01/01/2027"}, "Ngày ở tương lai."),
        ({"stars": "2"}, "Chỉ sản phẩm 3 đến 5 sao được cấp chứng nhận."),
        ({"deciding_level": "district"}, "sản phẩm 4 sao do"),  # under 148 the province recognises 4 stars
        ({"issuer": "x" * 201}, "201"),
    ],
)
def test_bad_input_records_nothing(client, gia_lam_officer, goods, changes, message):
    ours, _theirs, vase, _basket = goods
    client.force_login(gia_lam_officer)
    response = client.post(f"{BASE}chu-the/{ours.pk}/chung-nhan/", _certificate(vase, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Certificate.objects.exists()


def test_a_product_of_another_producer_is_refused(client, gia_lam_officer, goods):
    ours, _theirs, _vase, basket = goods
    client.force_login(gia_lam_officer)
    response = client.post(f"{BASE}chu-the/{ours.pk}/chung-nhan/", _certificate(basket))
    assert response.status_code == 400
    assert "Không phải sản phẩm của chủ thể này." in response.content.decode()
    assert not Certificate.objects.exists()


def test_another_units_producer_is_not_found(client, gia_lam_officer, customer, goods):
    _ours, theirs, _vase, basket = goods
    client.force_login(gia_lam_officer)
    response = client.post(f"{BASE}chu-the/{theirs.pk}/chung-nhan/", _certificate(basket))
    assert response.status_code == 404
    assert not Certificate.objects.exists()
    client.force_login(customer)
    assert client.get(f"{BASE}chung-nhan/").status_code == 404
    client.logout()
    assert client.post(f"{BASE}chu-the/{theirs.pk}/chung-nhan/", _certificate(basket)).status_code == 302
    assert not Certificate.objects.exists()


def _issue(product, day: dt.date, number: str = "1/QĐ") -> Certificate:
    return services.certificate_issue(
        actor=None,
        product=product,
        decision_number=number,
        decision_date=day,
        issuer="UBND",
        deciding_level="province",
        stars=4,
    )


def test_an_officer_revokes_a_certificate_with_a_reason(client, gia_lam_officer, thuong_tin_officer, goods):
    ours, _theirs, vase, _basket = goods
    certificate = _issue(vase, dt.date(2025, 1, 2))
    url = f"{BASE}chung-nhan/{certificate.pk}/thu-hoi/"
    client.force_login(thuong_tin_officer)
    assert client.post(url, {"reason": "Vi phạm"}).status_code == 404
    client.force_login(gia_lam_officer)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Bắt buộc." in response.content.decode()
    assert client.post(url, {"reason": "x" * 501}).status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_on is None
    response = client.post(url, {"reason": "Không duy trì chất lượng"})
    assert response.status_code == 302 and response["Location"] == f"{BASE}chu-the/{ours.pk}/"
    certificate.refresh_from_db()
    assert (
        certificate.revoked_reason == "Không duy trì chất lượng" and certificate.revoked_by == gia_lam_officer
    )
    again = client.post(url, {"reason": "Lần nữa"})
    assert again.status_code == 409 and "Chứng nhận này đã bị thu hồi." in again.content.decode()


def test_the_units_certificates_show_the_days_left_and_the_expiring_ones(client, gia_lam_officer, goods):
    ours, _theirs, vase, basket = goods
    _issue(vase, dt.date(2023, 12, 10), "CŨ/QĐ")  # ends 10/12/2026: 14 days left
    _issue(basket, dt.date(2024, 1, 5), "NGOÀI/QĐ")  # another unit's
    fresh = services.product_save(actor=None, producer=ours, name="Ấm chén men rạn")
    _issue(fresh, dt.date(2026, 1, 5), "MỚI/QĐ")
    client.force_login(gia_lam_officer)
    html = client.get(f"{BASE}chung-nhan/").content.decode()
    assert "CŨ/QĐ" in html and "MỚI/QĐ" in html and "NGOÀI/QĐ" not in html
    assert "14 <strong>sắp hết hạn</strong>" in html
    soon = client.get(f"{BASE}chung-nhan/?sap-het-han=1").content.decode()
    assert "CŨ/QĐ" in soon and "MỚI/QĐ" not in soon


def test_the_certificates_list_runs_a_fixed_number_of_queries(client, gia_lam_officer, goods):
    ours, _theirs, _vase, _basket = goods
    client.force_login(gia_lam_officer)
    made: list[Certificate] = []

    def grow(n: int) -> None:
        for _ in range(n):
            product = services.product_save(actor=None, producer=ours, name=f"Sản phẩm {len(made)}")
            made.append(_issue(product, dt.date(2025, 6, 1)))

    assert_fixed_queries(lambda: client.get(f"{BASE}chung-nhan/"), grow, steps=(3, 30))
