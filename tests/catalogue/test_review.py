"""A producer submits a product; the officers of its unit publish it or send it back with a reason."""

import pytest
from django.core import mail

from ocophub.accounts.models import Role
from ocophub.catalogue import services
from ocophub.catalogue.models import Product, ProductEvent
from ocophub.places import selectors as places

from ..conftest import make_user
from ..helpers import assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def bat_trang(loaded_places):
    from ocophub.catalogue.demo import reference_load

    reference_load()
    producer = services.producer_save(
        actor=None,
        name="HTX Gốm Sứ Giang Cao",
        kind="cooperative",
        commune=places.commune_by_code(583),
        email="htx@example.vn",
    )
    member = make_user(Role.PRODUCER_MEMBER, scope_id=producer.pk)
    return producer, member


def _submitted(producer, name="Lọ hoa men rạn", actor=None) -> Product:
    product = services.product_save(actor=actor, producer=producer, name=name, list_price=350_000)
    return services.product_submit(actor=actor, product=product)


def test_member_submits_but_cannot_publish_through_the_api(bat_trang, api):
    producer, member = bat_trang
    product = services.product_save(actor=member, producer=producer, name="Bát men lam")
    url = f"/api/v1/products/{product.pk}/transitions"
    refused = api.as_user(member).call("post", url, {"to": "published"})
    assert refused.status_code == 403
    product.refresh_from_db()
    assert product.status == "draft"
    assert api.as_user(member).call("post", url, {"to": "submitted"}).status_code == 200
    product.refresh_from_db()
    assert product.status == "submitted"
    # the member may withdraw the submission
    assert api.as_user(member).call("post", url, {"to": "draft"}).status_code == 200


def test_submitting_tells_the_units_officers(
    bat_trang, gia_lam_officer, thuong_tin_officer, django_capture_on_commit_callbacks
):
    producer, member = bat_trang
    with django_capture_on_commit_callbacks(execute=True):
        product = _submitted(producer, actor=member)
    assert product.status == "submitted"
    assert [m.to for m in mail.outbox] == [[gia_lam_officer.email]]
    assert f"/lam-viec/duyet-san-pham/{product.pk}/" in mail.outbox[0].body


def test_officer_publishes_and_the_public_finds_it(
    bat_trang, gia_lam_officer, client, django_capture_on_commit_callbacks
):
    producer, member = bat_trang
    product = _submitted(producer)
    assert "Lọ hoa men rạn" not in client.get("/san-pham/?q=lo hoa men ran").text
    client.force_login(gia_lam_officer)
    queue = client.get("/lam-viec/duyet-san-pham/")
    assert queue.status_code == 200 and "Lọ hoa men rạn" in queue.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/lam-viec/duyet-san-pham/{product.pk}/", {"decision": "publish"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == "published"
    event = ProductEvent.objects.filter(product=product).latest("id")
    assert (event.from_state, event.to_state, event.actor) == ("submitted", "published", gia_lam_officer)
    assert (
        mail.outbox[-1].to == sorted(["htx@example.vn", member.email])
        and "đã được duyệt" in mail.outbox[-1].subject
    )
    assert f"/lam-viec/duyet-san-pham/{product.pk}/" not in client.get("/lam-viec/duyet-san-pham/").text
    client.logout()
    found = client.get("/san-pham/?q=lo hoa men ran")
    assert "Lọ hoa men rạn" in found.text


def test_sending_back_needs_a_reason_and_reaches_the_producer(
    bat_trang, gia_lam_officer, client, django_capture_on_commit_callbacks
):
    producer, _member = bat_trang
    product = _submitted(producer)
    client.force_login(gia_lam_officer)
    url = f"/lam-viec/duyet-san-pham/{product.pk}/"
    empty = client.post(url, {"decision": "send_back", "reason": "   "})
    assert empty.status_code == 422 and "Trường này là bắt buộc" in empty.text
    long = client.post(url, {"decision": "send_back", "reason": "x" * 2001})
    assert long.status_code == 422
    unknown = client.post(url, {"decision": "delete"})
    assert unknown.status_code == 422
    product.refresh_from_db()
    assert product.status == "submitted" and not ProductEvent.objects.filter(
        product=product, from_state="submitted"
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"decision": "send_back", "reason": "Ảnh mờ, cần chụp lại."})
    assert sent.status_code == 302
    product.refresh_from_db()
    assert product.status == "draft"
    assert "Ảnh mờ, cần chụp lại." in mail.outbox[-1].body
    # decided: no longer in the queue, and a second decision is a 404
    assert client.post(url, {"decision": "publish"}).status_code == 404
    product.refresh_from_db()
    assert product.status == "draft"


def test_other_units_and_producers_do_not_review(bat_trang, thuong_tin_officer, customer, client):
    producer, member = bat_trang
    product = _submitted(producer)
    url = f"/lam-viec/duyet-san-pham/{product.pk}/"
    for user in (thuong_tin_officer, member, customer):
        client.force_login(user)
        assert client.post(url, {"decision": "publish"}).status_code == 404
    client.force_login(thuong_tin_officer)
    assert f"/lam-viec/duyet-san-pham/{product.pk}/" not in client.get("/lam-viec/duyet-san-pham/").text
    client.force_login(member)
    assert client.get("/lam-viec/duyet-san-pham/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    product.refresh_from_db()
    assert product.status == "submitted"


def test_only_submitted_products_are_reviewed(bat_trang):
    producer, _member = bat_trang
    draft = services.product_save(actor=None, producer=producer, name="Đĩa gốm")
    from ocophub.common.errors import DomainError

    with pytest.raises(DomainError):
        services.product_review(actor=None, product=draft, publish=True)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_queue_runs_a_fixed_number_of_queries(bat_trang, gia_lam_officer, client):
    producer, _member = bat_trang
    client.force_login(gia_lam_officer)
    made = []

    def grow(n):
        for _ in range(n):
            made.append(_submitted(producer, name=f"Sản phẩm chờ duyệt {len(made)}"))

    assert_fixed_queries(lambda: client.get("/lam-viec/duyet-san-pham/"), grow)
