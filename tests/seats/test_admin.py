"""The admin site shows capacities, holds and the ledger, and changes none of them."""

import pytest

from ocophub.seats.models import Capacity, SeatMovement

from . import world as w

pytestmark = pytest.mark.django_db


def test_the_admin_reads_seats_but_does_not_write_them(admin_client):
    room = w.capacity(10, label="Xưởng gốm")
    hold = w.booked((room, 2))
    for url in [
        "/quan-tri/seats/capacity/",
        f"/quan-tri/seats/capacity/{room.pk}/change/",
        "/quan-tri/seats/hold/",
        f"/quan-tri/seats/hold/{hold.pk}/change/",
        "/quan-tri/seats/seatmovement/",
    ]:
        assert admin_client.get(url).status_code == 200, url
    assert "Xưởng gốm" in admin_client.get("/quan-tri/seats/capacity/").content.decode()
    assert admin_client.get("/quan-tri/seats/capacity/add/").status_code == 403
    assert admin_client.get(f"/quan-tri/seats/capacity/{room.pk}/delete/").status_code == 403
    response = admin_client.post(f"/quan-tri/seats/capacity/{room.pk}/change/", {"total": 99, "held": 0})
    assert response.status_code == 403
    assert w.counters(room) == (10, 0, 2, 0)
    movement = SeatMovement.objects.first()
    assert (
        admin_client.post(f"/quan-tri/seats/seatmovement/{movement.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Capacity.objects.count() == 1 and SeatMovement.objects.count() == 3
