import pytest

from ocophub.accounts.models import Role
from ocophub.catalogue import services
from ocophub.catalogue.gtin import gtin_check_digit, gtin_is_valid
from ocophub.catalogue.models import Certificate, Producer, Product, ProductEvent
from ocophub.places import selectors as places

from ..conftest import make_user, product_named
from ..helpers import assert_fixed_queries


def names(response):
    return [item["name"] for item in response.json()["items"]]


def test_the_public_sees_published_products_only(client, catalogue):
    body = client.get("/api/v1/products?limit=200").json()
    assert "Tượng gỗ sơn son thếp vàng" not in [p["name"] for p in body["items"]]  # a draft
    draft = product_named("Tượng gỗ sơn son")
    assert client.get(f"/api/v1/products/{draft.pk}").status_code == 404
    assert client.get(f"/san-pham/{draft.slug}/").status_code == 404


def test_star_badge_only_with_a_valid_certificate(client, catalogue, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2026, 11, 26, 3, tzinfo=dt.UTC))
    items = {p["name"]: p for p in client.get("/api/v1/products?limit=200").json()["items"]}
    assert items["Bình hút lộc gốm sứ Bát Tràng men lam"]["stars"] == 4
    assert items["Giỏ mây đan quai tròn"]["stars"] is None  # expired 10/05/2026
    assert items["Giỏ mây đan quai tròn"]["certificate"] is None
    assert items["Đĩa gốm vẽ tay Bát Tràng"]["stars"] is None  # never certified
    page = client.get(f"/san-pham/{product_named('Giỏ mây').slug}/").content.decode()
    assert "OCOP ★" not in page


def test_filters_stars_group_district_new_unit_village_price(client, catalogue):
    assert set(names(client.get("/api/v1/products?stars=4&limit=200"))) >= {
        "Bình hút lộc gốm sứ Bát Tràng men lam",
        "Hộp sơn mài khảm trứng",
    }
    assert set(names(client.get("/api/v1/products?group=148-gom-su"))) == {
        "Bình hút lộc gốm sứ Bát Tràng men lam",
        "Bộ ấm chén gốm Bát Tràng men rạn",
        "Đĩa gốm vẽ tay Bát Tràng",
        "Lọ hoa gốm Kim Lan men nâu",
    }
    gia_lam = set(names(client.get("/api/v1/products?district=18")))
    assert "Lọ hoa gốm Kim Lan men nâu" in gia_lam  # Kim Lan, dissolved in 2025, was in Gia Lâm
    assert set(names(client.get("/api/v1/products?unit=577"))) == gia_lam  # today's Xã Bát Tràng
    assert names(client.get("/api/v1/products?village=van-phuc")) == ["Khăn lụa tơ tằm Vạn Phúc"]
    cheap = names(client.get("/api/v1/products?price_max=50000&sort=price"))
    assert cheap == ["Tương nếp Đường Lâm", "Chè lam Đường Lâm"]


def test_product_list_runs_a_fixed_number_of_queries(client, catalogue):
    producers = list(Producer.objects.all())
    counter = iter(range(1000))

    def grow(n):
        for _ in range(n):
            i = next(counter)
            product = services.product_save(
                actor=None,
                producer=producers[i % len(producers)],
                name=f"Sản phẩm thử {i}",
                list_price=1000 * i,
            )
            services.product_transition(actor=None, product=product, to="published")
            if i % 2:
                services.certificate_issue(
                    actor=None,
                    product=product,
                    decision_number=f"{i}/QĐ",
                    decision_date=__import__("datetime").date(2025, 1, 2),
                    issuer="UBND TP",
                    deciding_level="province",
                    stars=4,
                )

    assert_fixed_queries(lambda: client.get("/api/v1/products?limit=200"), grow)
    assert_fixed_queries(lambda: client.get("/san-pham/?sort=name"), grow)
    assert_fixed_queries(lambda: client.get("/api/v1/certificates?limit=200"), grow)


def test_producer_members_edit_their_own_products_only(api, catalogue):
    own = product_named("Bình hút lộc")
    member = make_user(Role.PRODUCER_MEMBER, scope_id=own.producer_id)
    client = api.as_user(member)
    ok = client.call(
        "patch", f"/api/v1/products/{own.pk}", {"list_price": 1300000, "story": "Men lam truyền thống"}
    )
    assert ok.status_code == 200 and ok.json()["list_price"] == 1300000
    other = product_named("Khăn lụa")
    assert client.call("patch", f"/api/v1/products/{other.pk}", {"list_price": 1}).status_code == 404
    created = client.call(
        "post",
        "/api/v1/products",
        {
            "producer_id": own.producer_id,
            "name": "Lọ lục bình men lam",
            "taxonomy": "148-gom-su",
            "list_price": 2200000,
        },
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    # publishing is the unit's decision: the member submits it for review
    refused = client.call("post", f"/api/v1/products/{created.json()['id']}/transitions", {"to": "published"})
    assert refused.status_code == 403
    submitted = client.call(
        "post", f"/api/v1/products/{created.json()['id']}/transitions", {"to": "submitted"}
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert ProductEvent.objects.filter(product_id=created.json()["id"]).count() == 2
    elsewhere = client.call(
        "post", "/api/v1/products", {"producer_id": other.producer_id, "name": "Khăn giả"}
    )
    assert elsewhere.status_code == 404


def test_unit_officers_manage_producers_and_certificates_of_their_units(api, catalogue):
    gia_lam = make_user(Role.UNIT_OFFICER, unit=places.district_by_code(18))
    client = api.as_user(gia_lam)
    created = client.call(
        "post",
        "/api/v1/producers",
        {
            "name": "HTX Gốm Giang Cao",
            "kind": "cooperative",
            "commune_code": 583,
            "registration_number": "0109999999",
        },
    )
    assert created.status_code == 201, created.content
    elsewhere = client.call(
        "post", "/api/v1/producers", {"name": "HTX Lụa", "kind": "cooperative", "commune_code": 9544}
    )
    assert elsewhere.status_code == 404
    product = product_named("Đĩa gốm")
    cert = client.call(
        "post",
        "/api/v1/certificates",
        {
            "product_id": product.pk,
            "decision_number": "88/QĐ-UBND",
            "decision_date": "2025-09-09",
            "issuer": "UBND thành phố Hà Nội",
            "deciding_level": "province",
            "score_a": "30",
            "score_b": "18",
            "score_c": "22",
        },
    )
    assert (
        cert.status_code == 201 and cert.json()["stars"] == 4 and cert.json()["valid_until"] == "2028-09-09"
    )
    silk = product_named("Khăn lụa")
    refused = client.call(
        "post",
        "/api/v1/certificates",
        {
            "product_id": silk.pk,
            "decision_number": "1",
            "decision_date": "2025-01-01",
            "issuer": "x",
            "deciding_level": "province",
            "stars": 3,
        },
    )
    assert refused.status_code == 404
    revoke_other = client.call(
        "post", f"/api/v1/certificates/{silk.certificates.get().pk}/revoke", {"reason": "x"}
    )
    assert revoke_other.status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"list_price": -1}, "list_price"),
        ({"list_price": "mười nghìn"}, "list_price"),
        ({"gtin": "8930000000018"}, "gtin"),  # wrong check digit
        ({"gtin": "12345"}, "gtin"),
        ({"name": ""}, "name"),
        ({"taxonomy": "khong-co"}, "taxonomy"),
    ],
)
def test_bad_product_input_is_refused_and_nothing_written(api, catalogue, city_admin, payload, field):
    before = Product.objects.count()
    body = {"producer_id": product_named("Bình hút lộc").producer_id, "name": "Sản phẩm mới", **payload}
    response = api.as_user(city_admin).call("post", "/api/v1/products", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert Product.objects.count() == before


def test_certificate_scores_over_the_maximum_are_refused(api, catalogue, city_admin):
    before = Certificate.objects.count()
    response = api.as_user(city_admin).call(
        "post",
        "/api/v1/certificates",
        {
            "product_id": product_named("Đĩa gốm").pk,
            "decision_number": "1/QĐ",
            "decision_date": "2025-01-01",
            "issuer": "UBND",
            "deciding_level": "province",
            "score_a": "45",
            "score_b": "20",
            "score_c": "30",
        },
    )
    assert response.status_code == 422 and "score_a" in response.json()["error"]["fields"]
    future = api.as_user(city_admin).call(
        "post",
        "/api/v1/certificates",
        {
            "product_id": product_named("Đĩa gốm").pk,
            "decision_number": "1/QĐ",
            "decision_date": "2099-01-01",
            "issuer": "UBND",
            "deciding_level": "province",
            "stars": 3,
        },
    )
    assert future.status_code == 422 and "decision_date" in future.json()["error"]["fields"]
    assert Certificate.objects.count() == before


def test_gtin_check_digits():
    assert gtin_check_digit("893000000001") == 9
    assert gtin_is_valid("8930000000019") and gtin_is_valid("96385074") and gtin_is_valid("036000291452")
    assert not gtin_is_valid("8930000000018") and not gtin_is_valid("89300000000a9")


def test_taxonomy_is_data_with_the_six_groups_of_148(client, catalogue):
    nodes = client.get("/api/v1/taxonomy?rule_set=148").json()
    groups = [n["name"] for n in nodes if n["level"] == "group"]
    assert groups == [
        "Thực phẩm",
        "Đồ uống",
        "Dược liệu và sản phẩm từ dược liệu",
        "Hàng thủ công mỹ nghệ",
        "Sinh vật cảnh",
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
    ]
    assert all(n["is_confirmed"] for n in nodes if n["level"] == "group")
    assert not all(n["is_confirmed"] for n in nodes)
    assert len([n for n in client.get("/api/v1/taxonomy?rule_set=1048").json() if n["level"] == "group"]) == 6


def test_product_photos_must_be_real_images_within_the_limit(api, catalogue, city_admin, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from ocophub.catalogue.models import ProductPhoto

    settings.MEDIA_ROOT = tmp_path
    product = product_named("Bình hút lộc")
    client = api.as_user(city_admin)
    url = f"/api/v1/products/{product.pk}/photos"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (20, 60, 140)).save(buffer, format="JPEG")
    ok = client.post(
        url,
        {"image": SimpleUploadedFile("binh.jpg", buffer.getvalue(), content_type="image/jpeg")},
        headers=client.headers_for,
    )
    assert ok.status_code == 201
    fake = client.post(
        url,
        {"image": SimpleUploadedFile("x.jpg", b"GIF89a not really", content_type="image/jpeg")},
        headers=client.headers_for,
    )
    assert fake.status_code == 422 and "image" in fake.json()["error"]["fields"]
    big = client.post(
        url,
        {"image": SimpleUploadedFile("big.jpg", b"\xff" * (8 * 1024 * 1024 + 1), content_type="image/jpeg")},
        headers=client.headers_for,
    )
    assert big.status_code == 422 and "image" in big.json()["error"]["fields"]
    assert ProductPhoto.objects.filter(product=product).count() == 1
    assert client.call("get", f"/api/v1/products/{product.pk}").json()["photos"]


def test_a_certificate_decided_by_a_level_its_rule_set_does_not_give_those_stars_is_refused(
    api, catalogue, city_admin
):
    product = product_named("Đĩa gốm")
    body = {
        "product_id": product.pk,
        "decision_number": "12/QĐ-UBND",
        "decision_date": "2025-09-09",  # under 1489/QĐ-TTg: the province recognises 3 and 4 stars
        "issuer": "UBND huyện Gia Lâm",
        "deciding_level": "district",
        "stars": 3,
    }
    response = api.as_user(city_admin).call(
        "post", "/api/v1/certificates", body, headers={"Accept-Language": "vi"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "deciding_level": "Theo QĐ 1489/QĐ-TTg, sản phẩm 3 sao do cấp tỉnh/thành phố công nhận."
    }
    assert not product.certificates.exists()


def test_slug_filters_take_slugs_only(api, catalogue):
    """A slug is folded lowercase words and hyphens: anything else is refused before any query."""
    for name in ("center", "village", "producer", "group"):
        refused = api.get(f"/api/v1/products?{name}=B%C3%A1t%20Tr%C3%A0ng")
        assert refused.status_code == 422 and name in refused.json()["error"]["fields"], name
        assert api.get(f"/api/v1/products?{name}=bat-trang").status_code == 200, name
