"""The admin shows agreements, lots, stock and the ledger; none of them is edited there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from ocophub.inventory.models import Agreement, Lot, Movement, Stock

from ..sales import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    from ocophub.accounts.models import User

    return User.objects.create_superuser("root@ocophub.vn", "x", full_name="Quản trị", is_staff=True)


def test_every_inventory_list_and_record_opens(client, loaded_places, superuser):
    world = w.build()
    w.checkout(world, 2)
    client.force_login(superuser)
    for model in (Agreement, Lot, Stock, Movement):
        name = f"admin:inventory_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"{name}_change", args=[model.objects.first().pk])).status_code == 200, name


def test_the_ledger_is_append_only_in_the_admin(client, loaded_places, superuser):
    world = w.build()
    movement = Movement.objects.get(stock=world.stock_a)
    model_admin = admin.site._registry[Movement]
    request = type("R", (), {"user": superuser})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, movement)
    assert not model_admin.has_delete_permission(request, movement)
    client.force_login(superuser)
    change = reverse("admin:inventory_movement_change", args=[movement.pk])
    response = client.post(change, {"on_hand_delta": "99", "reason": "sửa"})
    assert response.status_code == 403
    assert client.get(reverse("admin:inventory_movement_add")).status_code == 403
    delete = client.post(reverse("admin:inventory_movement_delete", args=[movement.pk]), {"post": "yes"})
    assert delete.status_code == 403
    movement.refresh_from_db()
    assert (movement.on_hand_delta, movement.reason) == (20, "")


def test_stock_quantities_are_not_edited_in_the_admin(client, loaded_places, superuser):
    world = w.build()
    client.force_login(superuser)
    change = reverse("admin:inventory_stock_change", args=[world.stock_a.pk])
    assert client.post(change, {"on_hand": "999"}).status_code == 403
    assert client.get(reverse("admin:inventory_stock_add")).status_code == 403
    world.stock_a.refresh_from_db()
    assert world.stock_a.on_hand == 20


def test_an_agreement_is_not_edited_in_the_admin(client, loaded_places, superuser):
    """Agreements change on the center's agreement page, through the services."""
    world = w.build()
    client.force_login(superuser)
    change = reverse("admin:inventory_agreement_change", args=[world.agreement_a.pk])
    response = client.post(change, {"notes": "Ký lại bản giấy", "commission_rate": "0.5", "state": "ended"})
    assert response.status_code == 403
    world.agreement_a.refresh_from_db()
    assert world.agreement_a.notes == ""
    assert (str(world.agreement_a.commission_rate), world.agreement_a.state) == ("0.2000", "active")
