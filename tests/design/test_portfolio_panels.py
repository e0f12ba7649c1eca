"""The center's page shows its latest portfolio designs; the product's page shows its current label
or package, where it was designed, and the portfolio designs made for it — both in a fixed number
of queries whatever the number of designs."""

import pytest
from django.test import Client

from ocophub.catalogue import services as catalogue
from ocophub.design import services
from ocophub.design.models import DesignRequest

from ..helpers import assert_fixed_queries, count_queries
from . import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(loaded_places):
    return world.build()


def delivered(w, allowed: bool = True, **fields) -> DesignRequest:
    request = world.advance(w, world.submit(w, **fields), "approved")
    if not allowed:
        services.design_portfolio_set(actor=w.member_a, request=request, allowed=False)
    return world.advance(w, DesignRequest.objects.get(pk=request.pk), "delivered")


def center_page(w, client=None):
    response = (client or Client()).get(f"/trung-tam/{w.center_a.slug}/")
    assert response.status_code == 200
    return response


def design_panel(response) -> dict:
    return next(panel for template, panel in response.context["panels"] if template.startswith("design/"))


def test_the_center_page_shows_its_latest_portfolio_designs(w):
    older = delivered(w, title="Nhãn cũ hơn")
    latest = delivered(w, title="Nhãn mới nhất")
    kept_out = delivered(w, allowed=False, title="Nhãn giữ riêng")
    response = center_page(w)
    assert design_panel(response)["designs"] == [latest, older]
    html = response.content.decode()
    assert "Thiết kế tại trung tâm" in html
    assert f'href="/thiet-ke/mau/{latest.pk}/"' in html
    assert f'href="/thiet-ke/?center={w.center_a.slug}"' in html
    assert kept_out.title not in html
    # the other center has none: no panel
    other = Client().get(f"/trung-tam/{w.center_b.slug}/").content.decode()
    assert 'data-testid="center-designs"' not in other


def test_the_center_panel_shows_a_few_and_links_to_all(w):
    for n in range(5):
        delivered(w, title=f"Nhãn {n}")
    panel = design_panel(center_page(w))
    assert len(panel["designs"]) == 4 and panel["more"]


def test_the_center_page_runs_a_fixed_number_of_queries_whatever_its_designs(w):
    client = Client()
    delivered(w)

    def grow(n: int) -> None:
        for _ in range(n):
            delivered(w)

    assert_fixed_queries(lambda: client.get(f"/trung-tam/{w.center_a.slug}/"), grow, steps=(2, 5))


def product_page(w, product, client=None):
    response = (client or Client()).get(f"/san-pham/{product.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_product_page_shows_its_current_label_designed_at_the_center(w):
    request = delivered(w, allowed=False)
    row = services.product_design_set(actor=w.member_a, request=request, product=w.jar, kind="label")
    html = product_page(w, w.jar)
    assert 'data-testid="current-design"' in html
    assert "Nhãn đang dùng" in html and "Thiết kế tại" in html
    assert f'href="/trung-tam/{w.center_a.slug}/"' in html
    assert f'src="/thiet-ke/hien-hanh/{row.pk}/anh/card/"' in html
    # kept out of the portfolio: no link to an entry, and no portfolio card
    assert f"/thiet-ke/mau/{request.pk}/" not in html
    # the label's picture is public with the product's page
    response = Client().get(f"/thiet-ke/hien-hanh/{row.pk}/anh/card/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_the_product_page_shows_the_portfolio_designs_made_for_it(w):
    request = delivered(w, title="Nhãn hũ gốm", products=[w.jar])
    services.product_design_set(actor=w.member_a, request=request, product=w.jar, kind="label")
    html = product_page(w, w.jar)
    assert f'href="/thiet-ke/mau/{request.pk}/"' in html
    assert 'data-testid="portfolio-card"' in html
    # the vase had no design: no panel
    assert 'data-testid="product-designs"' not in product_page(w, w.vase)


def test_a_draft_products_current_design_is_not_public(w):
    request = delivered(w)
    row = services.product_design_set(actor=w.member_a, request=request, product=w.jar, kind="label")
    catalogue.product_transition(actor=None, product=w.jar, to="draft")
    assert Client().get(f"/thiet-ke/hien-hanh/{row.pk}/anh/card/").status_code == 404
    member = Client()
    member.force_login(w.member_a)
    assert member.get(f"/thiet-ke/hien-hanh/{row.pk}/anh/card/").status_code == 200
    assert Client().get("/thiet-ke/hien-hanh/999999/anh/card/").status_code == 404
    assert Client().get(f"/thiet-ke/hien-hanh/{row.pk}/anh/original/").status_code == 404


def test_the_product_page_runs_a_fixed_number_of_queries_whatever_its_designs(w):
    client = Client()
    first = delivered(w)
    services.product_design_set(actor=w.member_a, request=first, product=w.jar, kind="label")
    client.get(f"/san-pham/{w.jar.slug}/")  # fills the shared cache (QR code, catalogue counts) once
    counts = []
    for _step in range(2):
        for _ in range(3):
            delivered(w)
        queries, response = count_queries(lambda: client.get(f"/san-pham/{w.jar.slug}/"))
        assert response.status_code == 200
        counts.append(queries)
    latest = delivered(w)
    services.product_design_set(actor=w.member_a, request=latest, product=w.jar, kind="packaging")
    queries, _response = count_queries(lambda: client.get(f"/san-pham/{w.jar.slug}/"))
    counts.append(queries)
    assert len(set(counts)) == 1, counts
