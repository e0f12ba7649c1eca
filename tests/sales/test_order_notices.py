"""New online orders are told to the center: an e-mail to its managers and staff after the commit, and
the count of new orders on the order desk and in the menu."""

import pytest
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.accounts.services import role_grant_revoke
from ocophub.sales import services
from ocophub.sales.models import Order, OrderStatus

from ..conftest import make_user
from ..helpers import assert_fixed_queries, count_queries
from ..mail_backends import UNDELIVERABLE
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build(on_hand=200)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_centers_managers_and_staff_get_an_email_after_the_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    designer = make_user(Role.DESIGNER, scope_id=world.center_a.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = w.checkout(world, 2)
        assert mailoutbox == []  # nothing is sent inside the transaction
    for callback in callbacks:
        callback()
    notices = [m for m in mailoutbox if order.number in m.subject and m.to != ["lan@example.vn"]]
    assert len(notices) == 1
    notice = notices[0]
    assert sorted(notice.to) == sorted([world.staff_a.email, world.manager_a.email])
    assert designer.email not in notice.to
    assert world.staff_b.email not in notice.to and world.manager_b.email not in notice.to
    assert "Nguyễn Thị Lan" in notice.body and "300.000" in notice.body
    assert f"/cua-hang/quan-ly/{world.center_a.slug}/{order.number}/" in notice.body
    assert "Đơn hàng trực tuyến mới" in notice.subject


def test_revoked_staff_are_not_told(world, mailoutbox, django_capture_on_commit_callbacks):
    grant = world.staff_a.grants.get(role=Role.CENTER_STAFF)
    role_grant_revoke(actor=world.manager_a, grant=grant, reason="Nghỉ việc")
    with django_capture_on_commit_callbacks(execute=True):
        order = w.checkout(world, 1)
    notice = [m for m in mailoutbox if m.to != ["lan@example.vn"]]
    assert [m.to for m in notice] == [[world.manager_a.email]] and order.number in notice[0].subject


def test_a_notice_that_cannot_be_delivered_does_not_fail_the_order(
    world, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingOne"
    world.staff_a.email = UNDELIVERABLE
    world.staff_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        order = w.checkout(world, 1)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    assert [m.to for m in mailoutbox] == [["lan@example.vn"]]


def test_the_desk_shows_the_count_of_new_orders(world):
    first, second, third = (
        w.checkout(world, 1, email=f"k{i}@example.vn", phone=f"09120000{i}1") for i in range(3)
    )
    services.order_cancel(actor=world.staff_a, order=third, reason="Khách gọi huỷ")
    services.order_pay(actor=world.staff_a, order=second, method="transfer", reference="FT1")
    services.order_move(actor=world.staff_a, order=second, to_state=OrderStatus.READY)
    page = _client(world.staff_a).get(f"/cua-hang/quan-ly/{world.center_a.slug}/")
    assert page.status_code == 200
    assert page.context["new_count"] == 1
    assert 'data-testid="new-orders"' in page.content.decode()
    other = _client(world.staff_b).get(f"/cua-hang/quan-ly/{world.center_b.slug}/")
    assert other.context["new_count"] == 0
    assert 'data-testid="new-orders"' not in other.content.decode()
    assert first.pk


def test_the_menu_badge_counts_new_orders_for_the_centers_staff_only(world):
    w.checkout(world, 1)
    w.checkout(world, 1, email="b@example.vn", phone="0912000002")
    body = _client(world.staff_a).get("/").content.decode()
    assert f'href="/cua-hang/quan-ly/{world.center_a.slug}/"' in body
    assert '<span class="badge-count" data-testid="new-orders-badge">2</span>' in body
    assert "new-orders-badge" not in _client(world.staff_b).get("/").content.decode()
    assert "order-desk-link" not in _client(world.member_a).get("/").content.decode()
    assert "order-desk-link" not in _client().get("/").content.decode()


def test_the_badge_costs_the_same_queries_whatever_the_orders(world):
    client = _client(world.staff_a)
    counter = iter(range(100))

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(counter)
            w.checkout(world, 1, email=f"g{i}@example.vn", phone=f"09130{i:05d}")

    before, _response = count_queries(lambda: client.get("/"))
    grow(3)
    after, response = count_queries(lambda: client.get("/"))
    assert before == after and "badge-count" in response.content.decode()
    assert_fixed_queries(lambda: client.get(f"/cua-hang/quan-ly/{world.center_a.slug}/"), grow, steps=(1, 2))
