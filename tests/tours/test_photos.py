"""A tour's photos: the operator's member uploads, captions, reorders and removes them on the tour's
work page (another operator's tour or photo is 404; bad files are refused with a Vietnamese message
and nothing written); the public page shows the first as its hero and the others as a gallery, and
the list's cards show it with a fixed number of queries."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.common.thumbnails import thumbnail_name
from ocophub.tours import services
from ocophub.tours.models import TourPhoto

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import world as w
from .routes_photos import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    operator = w.operator()
    other = w.operator()
    member = Client(HTTP_ACCEPT_LANGUAGE="vi")
    member.force_login(make_user(Role.OPERATOR_MEMBER, scope_id=operator.pk))
    return {"operator": operator, "other": other, "member": member, "tour": w.tour(operator)}


def _base(tour) -> str:
    return f"/lam-viec/tour/{tour.operator_id}/{tour.pk}/anh/"


def test_a_member_adds_a_photo_with_its_thumbnails(desk):
    tour = desk["tour"]
    response = desk["member"].post(
        _base(tour), {"image": png(size=(640, 480)), "caption": "Lò bầu", "credit": "Lan"}
    )
    assert response.status_code == 302
    photo = TourPhoto.objects.get(tour=tour)
    assert (photo.caption, photo.credit, photo.position) == ("Lò bầu", "Lan", 0)
    assert photo.image.name.startswith(f"tours/{tour.pk}/")
    assert default_storage.exists(thumbnail_name(photo.image.name, "card"))
    page = desk["member"].get(f"/lam-viec/tour/{tour.operator_id}/{tour.pk}/").content.decode()
    assert page.count('data-testid="photo-row"') == 1 and "Ảnh chính" in page


def _too_large() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (8, 8)).save(buffer, format="PNG")
    return SimpleUploadedFile("lon.png", buffer.getvalue() + b"\0" * (8 * 1024 * 1024 + 1), "image/png")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("a.png", b"not an image", "image/png"), "Tệp không phải là ảnh"),
        (_too_large, "Ảnh lớn hơn 8 MB."),
        (lambda: None, "Bắt buộc."),
    ],
)
def test_a_bad_file_is_refused_in_vietnamese_and_nothing_is_written(desk, upload, message):
    data = {"caption": "x"}
    if (file := upload()) is not None:
        data["image"] = file
    response = desk["member"].post(_base(desk["tour"]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TourPhoto.objects.exists()


def test_another_operators_tour_or_photo_is_404_and_untouched(desk):
    theirs = w.tour(desk["other"])
    photo = services.tour_photo_add(actor=None, tour=theirs, image=png(), caption="của họ")
    member = desk["member"]
    assert member.post(_base(theirs), {"image": png()}).status_code == 404
    # their photo through our tour's address: still 404
    ours = f"{_base(desk['tour'])}{photo.pk}/"
    assert member.post(ours, {"caption": "đổi"}).status_code == 404
    assert member.post(f"{ours}xoa/").status_code == 404
    assert member.post(f"{_base(theirs)}{photo.pk}/xoa/").status_code == 404
    photo.refresh_from_db()
    assert photo.caption == "của họ" and TourPhoto.objects.filter(tour=theirs).count() == 1


def test_caption_reorder_and_remove(desk, django_capture_on_commit_callbacks):
    tour = desk["tour"]
    first = services.tour_photo_add(actor=None, tour=tour, image=png("a.png"), caption="một")
    second = services.tour_photo_add(actor=None, tour=tour, image=png("b.png"), caption="hai")
    member = desk["member"]
    assert (
        member.post(f"{_base(tour)}{second.pk}/", {"caption": "Chợ gốm", "credit": "OCOP"}).status_code == 302
    )
    assert member.post(f"{_base(tour)}{second.pk}/chuyen/", {"direction": "up"}).status_code == 302
    assert list(tour.photos.values_list("pk", "caption", "credit")) == [
        (second.pk, "Chợ gốm", "OCOP"),
        (first.pk, "một", ""),
    ]
    # the public page: the first photo is the hero, the next in the gallery
    page = Client().get(f"/tour/{tour.slug}/").content.decode()
    hero = page.split('data-testid="tour-hero"', 1)[1].split("</figure>", 1)[0]
    assert "Chợ gốm" in hero and "OCOP" in hero
    assert "một" in page.split('data-testid="tour-gallery"', 1)[1]
    bad = member.post(f"{_base(tour)}{second.pk}/chuyen/", {"direction": "sideways"})
    assert bad.status_code == 400
    long = member.post(f"{_base(tour)}{second.pk}/", {"caption": "x" * 201})
    assert long.status_code == 400
    name = second.image.name
    with django_capture_on_commit_callbacks(execute=True):
        assert member.post(f"{_base(tour)}{second.pk}/xoa/").status_code == 302
    assert list(tour.photos.values_list("pk", flat=True)) == [first.pk]
    assert not default_storage.exists(name)


def test_reordering_needs_every_photo_once(desk):
    tour = desk["tour"]
    a = services.tour_photo_add(actor=None, tour=tour, image=png("a.png"))
    b = services.tour_photo_add(actor=None, tour=tour, image=png("b.png"))
    from ocophub.common.errors import DomainError

    for order in ([a.pk], [a.pk, a.pk], [a.pk, b.pk, 999_999], "1,2"):
        with pytest.raises(DomainError):
            services.tour_photos_reorder(actor=None, tour=tour, order=order)
    assert services.tour_photos_reorder(actor=None, tour=tour, order=[b.pk, a.pk])[0].pk == b.pk


def test_the_list_shows_each_cards_first_photo_in_fixed_queries():
    op = w.operator()
    center = w.center()

    def grow(n: int) -> None:
        for _i in range(n):
            t = w.tour(op, stops=[{"kind": "center", "center": center.pk, "minutes": 60}])
            services.tour_photo_add(actor=None, tour=t, image=png("a.png"))
            services.tour_photo_add(actor=None, tour=t, image=png("b.png"))
            w.departure(t, days=3)

    visitor = Client()
    assert_fixed_queries(lambda: visitor.get("/tour/"), grow)
    assert visitor.get("/tour/").content.decode().count('data-testid="tour-card-photo"') >= 2
