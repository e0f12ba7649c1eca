import datetime as dt
import io

from PIL import Image

from ocophub.accounts.models import Role

from ..conftest import make_user, product_named


def test_product_page_shows_the_certificate_and_where_to_buy(client, catalogue, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 26, 3, tzinfo=dt.UTC))
    product = product_named("Bình hút lộc")
    html = client.get(f"/san-pham/{product.slug}/").content.decode()
    assert "OCOP ★★★★" in html and "15/06/2027" in html and "1.250.000 ₫" in html
    assert "Trung tâm OCOP làng gốm Bát Tràng" in html  # a center of the same craft village
    assert f"/truy-xuat/{product.slug}/" in html


def test_trace_page_is_what_the_qr_code_opens(client, catalogue, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 26, 3, tzinfo=dt.UTC))
    product = product_named("Lọ hoa gốm Kim Lan")
    html = client.get(f"/truy-xuat/{product.slug}/").content.decode()
    assert "Hộ kinh doanh Gốm Kim Lan" in html and "10/12/2026" in html and "Kim Lan" in html
    svg = client.get(f"/truy-xuat/{product.slug}/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client.get(f"/truy-xuat/{product.slug}/qr.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.size[0] == image.size[1] and image.size[0] > 100
    draft = product_named("Tượng gỗ sơn son")
    assert client.get(f"/truy-xuat/{draft.slug}/").status_code == 404


def test_label_sheet_for_those_who_manage_the_producer(client, catalogue):
    product = product_named("Bình hút lộc")
    assert client.get(f"/chu-the/{product.producer.slug}/nhan-qr/").status_code == 302
    client.force_login(make_user(Role.CUSTOMER))
    assert client.get(f"/chu-the/{product.producer.slug}/nhan-qr/").status_code == 404
    client.force_login(make_user(Role.PRODUCER_MEMBER, scope_id=product.producer_id))
    html = client.get(f"/chu-the/{product.producer.slug}/nhan-qr/").content.decode()
    assert html.count('class="label"') == 3 and "data:image/svg+xml" in html


def test_producer_and_village_pages(client, catalogue):
    producer = product_named("Chè lam").producer
    assert "Chè lam Đường Lâm" in client.get(f"/chu-the/{producer.slug}/").content.decode()
    village = client.get("/lang-nghe/bat-trang/").content.decode()
    assert "HTX Gốm sứ Bát Tràng" in village and "Trung tâm OCOP làng gốm Bát Tràng" in village
    assert "Phường Long Biên" in village  # today's units of old Bát Tràng
    assert client.get("/lang-nghe/khong-co/").status_code == 404


def test_catalogue_page_filters_and_sorts_without_a_query(client, catalogue):
    html = client.get("/san-pham/?group=148-kham-trai&sort=-price").content.decode()
    assert html.index("Tranh khảm trai Khuê Văn Các") < html.index("Hộp đựng trang sức khảm trai")
    assert "Hàng thủ công mỹ nghệ" in html  # the group facet


def test_the_result_count_speaks_vietnamese(client, catalogue):
    from ocophub.catalogue.models import Product

    published = Product.objects.filter(status="published").count()
    assert f"{published} sản phẩm" in client.get("/san-pham/").content.decode()


def test_the_product_pages_qr_code_is_drawn_once_and_then_read_from_the_cache(client, catalogue):
    from django.core.cache import cache

    from ocophub.catalogue import qr

    product = product_named("Lọ hoa gốm Kim Lan")
    key = qr.cache_key("uri", f"http://testserver/truy-xuat/{product.slug}/", 3)
    cache.delete(key)
    try:
        first = client.get(f"/san-pham/{product.slug}/").content.decode()
        drawn = cache.get(key)
        assert drawn and drawn.startswith("data:image/svg+xml") and drawn in first
        cache.set(key, "data:image/svg+xml,marker-from-the-cache")
        assert "marker-from-the-cache" in client.get(f"/san-pham/{product.slug}/").content.decode()
    finally:
        cache.delete(key)
