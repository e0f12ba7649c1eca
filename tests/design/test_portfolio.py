"""The public portfolio: the delivered and closed designs a producer allowed, filtered by craft, kind
and center, a page at a time in a fixed number of queries; an entry page with before and after; and
the pictures, served as thumbnails only while the design is in the portfolio."""

import io

import pytest
from django.test import Client
from PIL import Image

from ocophub.accounts.models import Role
from ocophub.design import services
from ocophub.design.models import DesignRequest
from ocophub.places.models import Craft, CraftVillage

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import world
from .world import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(loaded_places):
    w = world.build()
    # producer A is a Bát Tràng potter: its crafts are the village's
    village = CraftVillage.objects.get(slug="bat-trang")
    w.producer_a.craft_village = village
    w.producer_a.save(update_fields=["craft_village"])
    return w


def delivered(w, allowed: bool = True, **fields) -> DesignRequest:
    request = world.advance(w, world.submit(w, **fields), "approved")
    if not allowed:
        services.design_portfolio_set(actor=w.member_a, request=request, allowed=False)
    return world.advance(w, DesignRequest.objects.get(pk=request.pk), "delivered")


def lacquer(w, **fields) -> DesignRequest:
    """Producer B (lacquer, Hạ Thái) at center B, delivered and allowed."""
    request = world.submit(
        w,
        actor=w.member_b,
        producer=w.producer_b,
        center=w.center_b,
        products=[w.tea],
        kind="packaging",
        title="Hộp quà sơn mài",
        **fields,
    )
    request = services.design_request_accept(
        actor=w.manager_b,
        request=request,
        designer=w.designer_b,
        due_on=request.wished_on,
        price=1_000_000,
    )
    services.design_request_start(actor=w.designer_b, request=request)
    services.design_version_send(actor=w.designer_b, request=request, note="", files=[png("p.png")])
    services.design_request_approve(
        actor=w.member_b, request=request, accept_terms=True, portfolio_allowed=True
    )
    services.design_request_deliver(actor=w.designer_b, request=request, note="", files=[png("f.png")])
    return DesignRequest.objects.get(pk=request.pk)


def cards(response) -> list[DesignRequest]:
    return list(response.context["page"].object_list)


def test_the_portfolio_shows_delivered_and_closed_designs_the_producer_allowed_only(w, client):
    shown = delivered(w, title="Nhãn hũ gốm")
    closed = world.advance(w, delivered(w, title="Hộp bình hoa", kind="packaging"), "closed")
    kept_out = delivered(w, allowed=False, title="Nhãn giữ riêng")
    approved = world.advance(w, world.submit(w, title="Chưa giao"), "approved")
    declined = services.design_request_decline(
        actor=w.manager_a, request=world.submit(w, title="Bị từ chối"), reason="Không đủ người"
    )
    response = client.get("/thiet-ke/")
    assert response.status_code == 200
    assert set(cards(response)) == {shown, closed}
    html = response.content.decode()
    assert "Nhãn hũ gốm" in html and "Hộp bình hoa" in html
    assert f'src="/thiet-ke/mau/{shown.pk}/anh/after/card/"' in html
    assert f'src="/thiet-ke/mau/{shown.pk}/anh/before/card/"' in html
    assert w.producer_a.name in html and w.center_a.name in html
    for hidden in (kept_out, approved, declined):
        assert hidden.title not in html


def test_the_portfolio_filters_by_craft_kind_and_center(w, client):
    label = delivered(w, title="Nhãn hũ gốm")
    package = delivered(w, title="Hộp bình hoa", kind="packaging")
    box = lacquer(w)
    ceramics = Craft.objects.filter(villages__slug="bat-trang").order_by("pk").first().slug
    assert set(cards(client.get("/thiet-ke/", {"craft": ceramics}))) == {label, package}
    assert set(cards(client.get("/thiet-ke/", {"kind": "packaging"}))) == {package, box}
    assert set(cards(client.get("/thiet-ke/", {"center": w.center_b.slug}))) == {box}
    both = client.get("/thiet-ke/", {"kind": "packaging", "center": w.center_a.slug})
    assert cards(both) == [package]
    # the form offers the crafts and centers that have designs
    form = client.get("/thiet-ke/").context["form"]
    assert ceramics in dict(form.fields["craft"].choices)
    assert {w.center_a.slug, w.center_b.slug} <= set(dict(form.fields["center"].choices))


def test_a_bad_filter_is_a_400_with_a_vietnamese_message(w, client):
    delivered(w)
    response = client.get("/thiet-ke/", {"kind": "poster", "center": "khong-co"})
    assert response.status_code == 400
    assert cards(response) == []
    html = response.content.decode()
    assert "Hãy chọn một loại thiết kế trong danh sách." in html
    assert "Hãy chọn một trung tâm trong danh sách." in html


def test_the_portfolio_is_paged(w, client):
    for n in range(13):
        delivered(w, title=f"Nhãn số {n:02d}")
    first = client.get("/thiet-ke/").context["page"]
    assert first.paginator.count == 13 and len(first.object_list) == 12
    second = client.get("/thiet-ke/", {"page": "2", "kind": "label"})
    assert len(second.context["page"].object_list) == 1
    assert "kind=label&amp;page=1" in second.content.decode()


def test_the_portfolio_runs_a_fixed_number_of_queries(w):
    client = Client()
    lacquer(w)

    def grow(n: int) -> None:
        for _ in range(n):
            delivered(w)

    assert_fixed_queries(lambda: client.get("/thiet-ke/"), grow, steps=(2, 5))


def test_the_english_page_speaks_english(w, client):
    delivered(w)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/thiet-ke/").content.decode()
    assert "Design portfolio" in html and "1 design" in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    html = client.get("/thiet-ke/").content.decode()
    assert "Bộ sưu tập thiết kế" in html and "1 thiết kế" in html


def test_the_entry_shows_before_after_products_producer_center_and_kind(w, client):
    request = delivered(w, title="Nhãn hũ gốm", products=[w.jar, w.vase])
    response = client.get(f"/thiet-ke/mau/{request.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'src="/thiet-ke/mau/{request.pk}/anh/before/detail/"' in html
    assert f'src="/thiet-ke/mau/{request.pk}/anh/after/detail/"' in html
    assert f'href="/san-pham/{w.jar.slug}/"' in html and f'href="/san-pham/{w.vase.slug}/"' in html
    assert f'href="/chu-the/{w.producer_a.slug}/"' in html
    assert f'href="/trung-tam/{w.center_a.slug}/"' in html
    assert "Nhãn" in html  # the kind, in Vietnamese
    # nothing of the request's private side
    assert request.brief not in html and "3.000.000" not in html


@pytest.mark.parametrize("who", [None, "city", "manager_a", "member_a"])
def test_a_request_not_in_the_portfolio_is_404_for_everyone(w, who):
    kept_out = delivered(w, allowed=False)
    approved = world.advance(w, world.submit(w), "approved")
    declined = services.design_request_decline(
        actor=w.manager_a, request=world.submit(w), reason="Không đủ người"
    )
    client = Client()
    if who:
        client.force_login(getattr(w, who))
    for request in (kept_out, approved, declined):
        assert client.get(f"/thiet-ke/mau/{request.pk}/").status_code == 404
        for side in ("before", "after"):
            assert client.get(f"/thiet-ke/mau/{request.pk}/anh/{side}/card/").status_code == 404
    assert client.get("/thiet-ke/mau/999999/").status_code == 404


def test_a_withdrawn_design_leaves_the_portfolio(w, client):
    request = delivered(w)
    assert client.get(f"/thiet-ke/mau/{request.pk}/anh/after/card/").status_code == 200
    services.design_portfolio_set(actor=w.member_a, request=request, allowed=False)
    assert client.get(f"/thiet-ke/mau/{request.pk}/").status_code == 404
    assert client.get(f"/thiet-ke/mau/{request.pk}/anh/after/card/").status_code == 404


def _picture(response) -> Image.Image:
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_the_pictures_are_thumbnails_with_caching_headers(w, client):
    request = delivered(w)
    response = client.get(f"/thiet-ke/mau/{request.pk}/anh/after/card/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response["ETag"] and response["Last-Modified"]
    assert response["Content-Disposition"] == 'inline; filename="card.jpg"'
    picture = _picture(response)
    assert picture.format == "JPEG" and picture.size == (320, 240)
    detail = client.get(f"/thiet-ke/mau/{request.pk}/anh/before/detail/")
    assert _picture(detail).size == (960, 720)
    again = client.get(f"/thiet-ke/mau/{request.pk}/anh/after/card/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "tail", ["anh/after/original/", "anh/final/card/", "anh/../card/", "anh/before/card.png/"]
)
def test_only_the_two_sides_in_the_two_sizes_are_served(w, client, tail):
    request = delivered(w)
    assert client.get(f"/thiet-ke/mau/{request.pk}/{tail}").status_code == 404


def test_a_design_without_a_before_image_shows_the_after_only(w, client):
    request = delivered(w, references=[world.pdf("ban-cu.pdf")])
    assert request.before_file is None
    html = client.get(f"/thiet-ke/mau/{request.pk}/").content.decode()
    assert "/anh/before/" not in html and "/anh/after/" in html
    assert client.get(f"/thiet-ke/mau/{request.pk}/anh/before/card/").status_code == 404


def test_the_main_navigation_and_the_sitemap_link_the_portfolio(w, client):
    request = delivered(w)
    assert 'href="/thiet-ke/" data-testid="portfolio-link"' in client.get("/").content.decode()
    assert "http://testserver/thiet-ke/" in client.get("/sitemap-trang.xml").content.decode()
    entries = client.get("/sitemap-thiet-ke.xml").content.decode()
    assert f"http://testserver/thiet-ke/mau/{request.pk}/" in entries


def test_a_designer_sees_the_public_page_like_anyone(w):
    request = delivered(w)
    client = Client()
    client.force_login(make_user(Role.DESIGNER, scope_id=w.center_b.pk))
    assert client.get(f"/thiet-ke/mau/{request.pk}/").status_code == 200
