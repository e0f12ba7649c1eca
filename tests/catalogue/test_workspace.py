"""The producer workspace: who may use it, what its forms refuse, and that they write through the
same services as the API."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from ocophub.accounts.models import Role
from ocophub.catalogue import services
from ocophub.catalogue.demo import reference_load
from ocophub.catalogue.models import (
    Certificate,
    Producer,
    ProducerPhoto,
    Product,
    ProductEvent,
    ProductPhoto,
    ProductStatus,
    TaxonomyNode,
)
from ocophub.common.dates import local_today

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from ..sales import world as w

pytestmark = pytest.mark.django_db

VALID_GTIN = "8934567890120"


@pytest.fixture
def world(loaded_places, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    reference_load()
    return w.build()


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def base(world) -> str:
    return f"/lam-viec/chu-the/{world.producer_a.slug}/"


def png(name: str = "anh.png", size: tuple[int, int] = (16, 16), fmt: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def product_data(**overrides) -> dict:
    data = {
        "name": "Lọ hoa gốm men rạn",
        "list_price": "250.000",
        "unit": "chiếc",
        "gtin": "",
        "description": "Lọ hoa men rạn cổ.",
        "taxonomy": "",
    }
    data.update(overrides)
    return data


# --- who may use it -------------------------------------------------------------------------------


def test_member_sees_the_workspace_with_counts_and_links(world):
    response = client_of(world.member_a).get(base(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.producer_a.name in html
    assert f"/kho/chu-the/{world.producer_a.slug}/" in html  # the existing stock page, linked
    assert f"{base(world)}san-pham/tao/" in html
    counts = {status: n for _label, status, n in response.context["counts"]}
    assert counts[ProductStatus.PUBLISHED] == 1 and response.context["product_total"] == 1


def test_one_producer_goes_straight_to_its_workspace_several_are_listed(world):
    response = client_of(world.member_a).get("/lam-viec/chu-the/")
    assert response.status_code == 302 and response["Location"] == base(world)
    both = make_user(Role.PRODUCER_MEMBER, scope_id=world.producer_a.pk)
    from ocophub.accounts.services import role_grant

    role_grant(actor=None, user=both, role=Role.PRODUCER_MEMBER, scope_id=world.producer_b.pk)
    listing = client_of(both).get("/lam-viec/chu-the/")
    assert listing.status_code == 200
    assert [p.pk for p in listing.context["producers"]] == sorted(
        [world.producer_a.pk, world.producer_b.pk],
        key=lambda pk: Producer.objects.get(pk=pk).folded_name,
    )


@pytest.mark.parametrize("who", ["member_b", "customer", "officer", "city"])
def test_others_get_404_for_every_workspace_page(world, who):
    user = {
        "member_b": world.member_b,
        "customer": make_user(Role.CUSTOMER),
        "officer": make_user(Role.UNIT_OFFICER, unit=world.producer_a.commune.parent),
        "city": make_user(Role.CITY_ADMIN),
    }[who]
    client = client_of(user)
    for path in ("", "ho-so/", "san-pham/", "san-pham/tao/", f"san-pham/{world.bowl.pk}/", "chung-nhan/"):
        assert client.get(base(world) + path).status_code == 404, path
    response = client.post(base(world) + "san-pham/tao/", product_data())
    assert response.status_code == 404
    assert not Product.objects.filter(name="Lọ hoa gốm men rạn").exists()


def test_anonymous_visitor_is_sent_to_log_in(world):
    response = Client().get(base(world))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_another_producers_product_is_404_on_every_product_route(world):
    client = client_of(world.member_a)
    tea = world.tea  # producer B's
    photo = services.product_photo_add(actor=None, product=tea, image=png())
    url = f"{base(world)}san-pham/{tea.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, product_data(name="Đổi tên")).status_code == 404
    assert client.post(url + "trang-thai/", {"to": "archived"}).status_code == 404
    assert client.post(url + "anh/", {"image": png()}).status_code == 404
    assert client.post(url + f"anh/{photo.pk}/xoa/").status_code == 404
    # producer B's photo through producer A's product is 404 too
    assert client.post(f"{base(world)}san-pham/{world.bowl.pk}/anh/{photo.pk}/xoa/").status_code == 404
    tea.refresh_from_db()
    assert tea.name == "Trà sen Tây Hồ hộp 100 g" and tea.status == ProductStatus.PUBLISHED
    assert ProductPhoto.objects.filter(product=tea).count() == 1


def test_menu_and_account_page_link_to_the_workspace_for_members_only(world):
    for path in ("/", "/tai-khoan/"):
        assert "/lam-viec/chu-the/" in client_of(world.member_a).get(path).content.decode()
        assert "/lam-viec/chu-the/" not in client_of(make_user(Role.CUSTOMER)).get(path).content.decode()


# --- the profile ----------------------------------------------------------------------------------


def test_profile_saves_through_the_service(world):
    response = client_of(world.member_a).post(
        base(world) + "ho-so/",
        {
            "representative": "Nguyễn Văn An",
            "address": "Xóm 3, Bát Tràng",
            "phone": "0912 345 678",
            "email": "htx@example.vn",
            "website": "https://gom.example.vn",
            "story": "Ba đời làm gốm.",
        },
    )
    assert response.status_code == 302
    producer = Producer.objects.get(pk=world.producer_a.pk)
    assert producer.story == "Ba đời làm gốm." and producer.email == "htx@example.vn"
    assert producer.name == world.producer_a.name  # not on the form


@pytest.mark.parametrize(
    "field, value",
    [
        ("email", "khong-phai-email"),
        ("website", "http://"),
        ("phone", "0" * 31),
        ("representative", "A" * 121),
        ("story", "x" * 20001),
    ],
)
def test_profile_refuses_bad_input_and_writes_nothing(world, field, value):
    before = Producer.objects.get(pk=world.producer_a.pk)
    response = client_of(world.member_a).post(base(world) + "ho-so/", {"story": "mới", field: value})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'data-testid="problem"' in response.content.decode()
    after = Producer.objects.get(pk=world.producer_a.pk)
    assert (after.story, getattr(after, field)) == (before.story, getattr(before, field))


def test_producer_photo_add_and_remove(world, django_capture_on_commit_callbacks):
    client = client_of(world.member_a)
    assert client.post(base(world) + "ho-so/anh/", {"image": png(), "caption": "Xưởng"}).status_code == 302
    photo = ProducerPhoto.objects.get(producer=world.producer_a)
    assert photo.caption == "Xưởng" and photo.image.storage.exists(photo.image.name)
    page = client.get(base(world) + "ho-so/").content.decode()
    assert photo.image.url in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base(world) + f"ho-so/anh/{photo.pk}/xoa/")
    assert response.status_code == 302
    assert not ProducerPhoto.objects.filter(pk=photo.pk).exists()
    assert not photo.image.storage.exists(photo.image.name)  # the file goes with the row


def nine_megabytes() -> SimpleUploadedFile:
    # a real PNG padded past 8 MB: the size is refused before the image is read
    return SimpleUploadedFile("to.png", png().read() + b"\0" * (9 * 1024 * 1024), content_type="image/png")


BAD_PHOTOS = {
    "not an image": lambda: SimpleUploadedFile("anh.png", b"not an image at all", content_type="image/png"),
    "too big": nine_megabytes,
    "forged extension": lambda: png(name="anh.html"),
    "content not matching its name": lambda: png(name="anh.png", fmt="JPEG"),
    "unsupported format": lambda: png(name="anh.gif", fmt="GIF"),
    "empty": lambda: SimpleUploadedFile("anh.png", b"", content_type="image/png"),
}


@pytest.mark.parametrize("kind", sorted(BAD_PHOTOS))
def test_bad_photos_are_refused_with_nothing_written(world, kind):
    client = client_of(world.member_a)
    producer_response = client.post(base(world) + "ho-so/anh/", {"image": BAD_PHOTOS[kind]()})
    product_response = client.post(
        f"{base(world)}san-pham/{world.bowl.pk}/anh/", {"image": BAD_PHOTOS[kind]()}
    )
    for response in (producer_response, product_response):
        assert response.status_code == 400
        assert response.context["photo_form"].errors["image"]
    assert not ProducerPhoto.objects.exists() and not ProductPhoto.objects.exists()


def test_missing_photo_is_refused(world):
    response = client_of(world.member_a).post(base(world) + "ho-so/anh/", {"caption": "không có ảnh"})
    assert response.status_code == 400 and not ProducerPhoto.objects.exists()


# --- products -------------------------------------------------------------------------------------


def test_create_submit_archive_reaches_the_same_state_as_the_services(world):
    client = client_of(world.member_a)
    node = TaxonomyNode.objects.filter(rule_set__code="148").order_by("position").last()
    response = client.post(
        base(world) + "san-pham/tao/",
        product_data(gtin=VALID_GTIN, taxonomy=str(node.pk), packaging="hộp giấy", materials="đất sét"),
    )
    assert response.status_code == 302
    made = Product.objects.get(name="Lọ hoa gốm men rạn")
    assert response["Location"] == f"{base(world)}san-pham/{made.pk}/"
    assert (made.producer_id, made.status, made.list_price, made.gtin, made.taxonomy_id) == (
        world.producer_a.pk,
        ProductStatus.DRAFT,
        250_000,
        VALID_GTIN,
        node.pk,
    )
    for to in ("submitted", "archived"):
        assert client.post(f"{base(world)}san-pham/{made.pk}/trang-thai/", {"to": to}).status_code == 302

    twin = services.product_save(
        actor=world.member_a,
        producer=world.producer_a,
        name="Lọ hoa gốm men rạn",
        list_price=250_000,
        unit="chiếc",
        description="Lọ hoa men rạn cổ.",
        taxonomy=node,
        packaging="hộp giấy",
        materials="đất sét",
    )
    services.product_submit(actor=world.member_a, product=twin)
    services.product_transition(actor=world.member_a, product=twin, to="archived")
    made.refresh_from_db()
    twin.refresh_from_db()
    fields = ["status", "list_price", "unit", "description", "taxonomy_id", "search_text", "folded_name"]
    assert [getattr(made, f) for f in fields] == [getattr(twin, f) for f in fields]

    def steps(product: Product) -> list:
        events = ProductEvent.objects.filter(product=product).order_by("pk")
        return list(events.values_list("from_state", "to_state", "actor"))

    assert (
        steps(made)
        == steps(twin)
        == [
            ("", "draft", world.member_a.pk),
            ("draft", "submitted", world.member_a.pk),
            ("submitted", "archived", world.member_a.pk),
        ]
    )


def test_search_finds_a_product_submitted_through_the_pages_once_the_unit_publishes_it(world):
    client = client_of(world.member_a)
    client.post(base(world) + "san-pham/tao/", product_data(name="Ấm tích men hoa lam"))
    made = Product.objects.get(name="Ấm tích men hoa lam")
    public = Client()
    assert "Ấm tích men hoa lam" not in public.get("/san-pham/?q=am tich").content.decode()
    url = f"{base(world)}san-pham/{made.pk}/trang-thai/"
    # a member cannot publish; submitting leaves it out of the catalogue until the unit decides
    assert client.post(url, {"to": "published"}).status_code == 400
    assert client.post(url, {"to": "submitted"}).status_code == 302
    made.refresh_from_db()
    assert made.status == ProductStatus.SUBMITTED
    assert "Ấm tích men hoa lam" not in public.get("/san-pham/?q=am tich").content.decode()
    services.product_review(actor=None, product=made, publish=True)
    assert "Ấm tích men hoa lam" in public.get("/san-pham/?q=am tich").content.decode()


def test_edit_saves_and_shows_the_photos(world):
    client = client_of(world.member_a)
    url = f"{base(world)}san-pham/{world.bowl.pk}/"
    assert client.post(url + "anh/", {"image": png(), "caption": "Mặt trước"}).status_code == 302
    assert client.post(url + "anh/", {"image": png("sau.jpg", fmt="JPEG")}).status_code == 302
    response = client.post(url, product_data(name="Bát gốm men lam cỡ lớn", list_price="160000"))
    assert response.status_code == 302
    bowl = Product.objects.get(pk=world.bowl.pk)
    assert (bowl.name, bowl.list_price) == ("Bát gốm men lam cỡ lớn", 160_000)
    page = client.get(url)
    assert 'value="160.000"' in page.content.decode()
    assert [p.caption for p in page.context["photos"]] == ["Mặt trước", ""]
    first = page.context["photos"][0]
    assert client.post(url + f"anh/{first.pk}/xoa/").status_code == 302
    assert list(ProductPhoto.objects.filter(product=bowl).values_list("caption", flat=True)) == [""]


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", ""),
        ("name", "   "),
        ("name", "x" * 201),
        ("list_price", "-5"),
        ("list_price", "1000000000001"),
        ("list_price", "12,5"),
        ("list_price", "mười nghìn"),
        ("list_price", "1e5"),
        ("gtin", "8934567890128"),  # wrong check digit
        ("gtin", "12345"),
        ("gtin", "893456789012X"),
        ("gtin", "1" * 15),
        ("unit", "u" * 41),
        ("packaging", "p" * 201),
        ("description", "d" * 20001),
        ("materials", "m" * 5001),
        ("taxonomy", "999999999"),
        ("taxonomy", "không-phải-số"),
    ],
)
def test_product_forms_refuse_bad_input_and_write_nothing(world, field, value):
    client = client_of(world.member_a)
    created = client.post(base(world) + "san-pham/tao/", product_data(**{field: value}))
    assert created.status_code == 400, created.content[:300]
    assert created.context["form"].errors[field]
    assert not Product.objects.filter(producer=world.producer_a).exclude(pk=world.bowl.pk).exists()
    edited = client.post(f"{base(world)}san-pham/{world.bowl.pk}/", product_data(**{field: value}))
    assert edited.status_code == 400
    bowl = Product.objects.get(pk=world.bowl.pk)
    assert (bowl.name, bowl.list_price, bowl.description) == ("Bát gốm men lam", 150_000, "")


def test_a_gtin_another_product_has_is_refused(world):
    response = client_of(world.member_a).post(
        base(world) + "san-pham/tao/", product_data(gtin=world.tea.gtin)
    )
    assert response.status_code == 400 and response.context["form"].errors["gtin"]


def test_illegal_or_unknown_transitions_are_refused(world):
    client = client_of(world.member_a)
    url = f"{base(world)}san-pham/{world.bowl.pk}/trang-thai/"
    assert client.post(url, {"to": "published"}).status_code == 400  # it is published already
    assert client.post(url, {"to": "deleted"}).status_code == 400
    assert client.post(url, {}).status_code == 400
    assert Product.objects.get(pk=world.bowl.pk).status == ProductStatus.PUBLISHED
    assert ProductEvent.objects.filter(product=world.bowl).count() == 2  # created, published


def test_product_list_filters_by_status_and_name(world):
    client = client_of(world.member_a)
    services.product_save(actor=None, producer=world.producer_a, name="Đĩa gốm vẽ tay")
    everything = client.get(base(world) + "san-pham/")
    assert {p.name for p in everything.context["page"]} == {"Bát gốm men lam", "Đĩa gốm vẽ tay"}
    drafts = client.get(base(world) + "san-pham/?status=draft")
    assert [p.name for p in drafts.context["page"]] == ["Đĩa gốm vẽ tay"]
    found = client.get(base(world) + "san-pham/?q=dia gom")
    assert [p.name for p in found.context["page"]] == ["Đĩa gốm vẽ tay"]
    assert world.tea.name not in everything.content.decode()


@pytest.mark.parametrize("query", ["status=deleted", "q=" + "x" * 101])
def test_product_list_refuses_bad_filters(world, query):
    assert client_of(world.member_a).get(f"{base(world)}san-pham/?{query}").status_code == 400


@pytest.mark.parametrize("query", ["", "?status=draft", "?q=gom"])
def test_product_list_runs_a_fixed_number_of_queries(world, query):
    client = client_of(world.member_a)
    made = [0]

    def grow(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            product = services.product_save(actor=None, producer=world.producer_a, name=f"Gốm mẫu {made[0]}")
            services.product_photo_add(actor=None, product=product, image=png())

    assert_fixed_queries(lambda: client.get(f"{base(world)}san-pham/{query}"), grow, steps=(3, 30))


# --- certificates ---------------------------------------------------------------------------------


def test_certificates_show_stars_valid_until_and_days_left(world):
    today = local_today()
    current = services.certificate_issue(
        actor=None,
        product=world.bowl,
        decision_number="12/QĐ-UBND",
        decision_date=today - dt.timedelta(days=100),
        issuer="UBND TP Hà Nội",
        deciding_level="province",
        stars=4,
    )
    old = services.product_save(actor=None, producer=world.producer_a, name="Bình cũ")
    expired = services.certificate_issue(
        actor=None,
        product=old,
        decision_number="3/QĐ-UBND",
        decision_date=dt.date(2020, 3, 1),
        issuer="UBND TP Hà Nội",
        deciding_level="province",
        stars=3,
    )
    response = client_of(world.member_a).get(base(world) + "chung-nhan/")
    html = response.content.decode()
    assert response.status_code == 200
    assert current.valid_until.strftime("%d/%m/%Y") in html
    assert expired.valid_until.strftime("%d/%m/%Y") in html
    rows = {row.certificate.pk: row for row in response.context["rows"]}
    assert rows[current.pk].days_left == (current.valid_until - today).days
    assert not rows[current.pk].expired and rows[expired.pk].expired
    assert f"{(current.valid_until - today).days} ngày" in html
    assert "Hết hạn" in html and "4★" in html and "3★" in html
    assert Certificate.objects.filter(product__producer=world.producer_b).count() == 0
