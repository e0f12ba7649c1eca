"""Admin forms save through the services (search, index and history follow, every rule applies),
or are read-only; rows with history are not deleted but archived."""

import datetime as dt

import pytest
from django.contrib import admin
from django.db.models import ProtectedError
from django.urls import reverse

from ocophub.catalogue import search
from ocophub.catalogue import services as catalogue
from ocophub.catalogue.models import Certificate, Producer, Product
from ocophub.centers.models import Center, ScoreSheet
from ocophub.common.errors import DomainError
from ocophub.common.models import ChangeRecord
from ocophub.common.selectors import changes_of
from ocophub.inventory.models import Agreement
from ocophub.programme.models import Commitment

from ..helpers import form_values
from ..sales import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    from ocophub.accounts.models import User

    return User.objects.create_superuser("root@ocophub.vn", "x", full_name="Quản trị", is_staff=True)


@pytest.fixture
def world(loaded_places):
    return w.build()


def certify(product: Product) -> Certificate:
    from ocophub.catalogue.demo import reference_load

    reference_load()
    return catalogue.certificate_issue(
        actor=None,
        product=product,
        decision_number="12/QĐ-UBND",
        decision_date=dt.date(2024, 5, 2),
        issuer="UBND thành phố Hà Nội",
        deciding_level="province",
        stars=4,
    )


def edit(client, model, obj, **changes):
    """Open the admin's change form of `obj`, change some values and send it as a browser would."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    values = form_values(page.content.decode(), f"{model._meta.model_name}_form")
    values.update({name: str(value) for name, value in changes.items()})
    return client.post(url, values)


def test_an_admin_edit_of_a_product_name_is_found_by_search_under_the_new_name(client, world, superuser):
    client.force_login(superuser)
    assert world.bowl.pk not in search.search("men ran co")

    response = edit(client, Product, world.bowl, name="Bát gốm men rạn cổ")

    assert response.status_code == 302, response.content.decode()[:2000]
    assert world.bowl.pk in search.search("men ran co")
    world.bowl.refresh_from_db()
    assert "men ran co" in world.bowl.search_text


def test_an_admin_price_edit_leaves_a_change_record(client, world, superuser):
    client.force_login(superuser)

    assert edit(client, Product, world.bowl, list_price=165000).status_code == 302

    record = changes_of(world.bowl).get()
    assert record.actor == superuser
    assert record.changes == {"list_price": [150_000, 165_000]}


def test_an_admin_edit_the_service_refuses_is_a_form_error_and_writes_nothing(client, world, superuser):
    client.force_login(superuser)

    response = edit(client, Product, world.bowl, name="Tên mới", gtin="8930000000001")

    assert response.status_code == 200
    assert "GTIN không hợp lệ" in response.content.decode()
    world.bowl.refresh_from_db()
    assert world.bowl.name == "Bát gốm men lam"
    assert not ChangeRecord.objects.filter(object_type="catalogue.product").exists()


def test_an_admin_edit_of_a_producer_goes_through_its_service(client, world, superuser):
    client.force_login(superuser)

    response = edit(client, Producer, world.producer_a, name="HTX Gốm Kim Lan")

    assert response.status_code == 302, response.content.decode()[:2000]
    assert world.bowl.pk in search.search("gom kim lan")
    record = changes_of(world.producer_a).get()
    assert record.actor == superuser and record.changes["name"][1] == "HTX Gốm Kim Lan"


def test_an_admin_edit_of_a_center_keeps_its_history(client, world, superuser):
    client.force_login(superuser)

    response = edit(client, Center, world.center_a, contact_phone="024 3874 0000")

    assert response.status_code == 302, response.content.decode()[:2000]
    record = changes_of(world.center_a).get()
    assert record.actor == superuser and record.changes == {"contact_phone": ["", "024 3874 0000"]}
    page = client.get(reverse("admin:centers_center_change", args=[world.center_a.pk])).content.decode()
    assert "024 3874 0000" in page and "Lịch sử chỉnh sửa" in page


def test_rows_whose_services_hold_rules_are_read_only_in_the_admin(client, world, superuser):
    certify(world.bowl)
    request = type("R", (), {"user": superuser})()
    for model in (Certificate, Agreement, ScoreSheet, Commitment):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
    client.force_login(superuser)
    agreement = world.agreement_a
    url = reverse("admin:inventory_agreement_change", args=[agreement.pk])
    assert client.post(url, {"notes": "sửa", "commission_rate": "0.5"}).status_code == 403
    agreement.refresh_from_db()
    assert (agreement.notes, str(agreement.commission_rate)) == ("", "0.2000")


def test_rows_with_history_have_no_delete_in_the_admin(client, world, superuser):
    certificate = certify(world.bowl)
    client.force_login(superuser)
    for model, obj in (
        (Product, world.bowl),
        (Producer, world.producer_a),
        (Center, world.center_a),
        (Certificate, certificate),
    ):
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        delete = reverse(f"{name}_delete", args=[obj.pk])
        assert delete not in client.get(reverse(f"{name}_change", args=[obj.pk])).content.decode(), name
        assert client.post(delete, {"post": "yes"}).status_code == 403, name
        changelist = client.get(reverse(f"{name}_changelist")).content.decode()
        assert 'value="delete_selected"' not in changelist, name
        assert model.objects.filter(pk=obj.pk).exists(), name


def test_the_database_layer_refuses_to_delete_history_too(world):
    with pytest.raises(ProtectedError):
        Product.objects.filter(pk=world.bowl.pk).delete()  # its status changes and stock
    with pytest.raises(ProtectedError):
        Center.objects.filter(pk=world.center_b.pk).delete()  # its status changes
    assert (
        Product.objects.filter(pk=world.bowl.pk).exists()
        and Center.objects.filter(pk=world.center_b.pk).exists()
    )


def test_a_producer_is_made_inactive_instead_of_deleted(client, world, superuser):
    client.force_login(superuser)

    response = edit(client, Producer, world.producer_b, is_active="")
    assert response.status_code == 302, response.content.decode()[:2000]

    world.producer_b.refresh_from_db()
    assert not world.producer_b.is_active
    assert changes_of(world.producer_b).get().changes == {"is_active": [True, False]}
    with pytest.raises(DomainError):
        catalogue.product_save(actor=None, producer=world.producer_b, name="Trà sen mới")
    assert world.tea.producer_id == world.producer_b.pk  # its products and history stay
