"""Refunds without goods: a manager's, or a cashier's with a manager's one-time approval code; and the
shift's report, where they have their own line."""

import datetime as dt
import threading
import uuid
from collections import Counter

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.utils import timezone, translation

from ocophub.accounts.models import Role
from ocophub.common.errors import DomainError
from ocophub.inventory import services as inventory
from ocophub.sales import services
from ocophub.sales.models import REFUND_APPROVAL_MINUTES, Refund, RefundApproval

from ..conftest import make_user
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build()


def vi(msgid: str, **values: object) -> str:
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % values if values else text


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _written() -> tuple[int, int]:
    return (Refund.objects.count(), RefundApproval.objects.filter(used_at__isnull=False).count())


def _refused(world, sale, code: str, amount: int = 20_000) -> DomainError:
    before = _written()
    with pytest.raises(DomainError) as refused:
        services.refund_create(
            actor=world.staff_a, sale=sale, amount=amount, reason="bớt giá", approval_code=code
        )
    assert _written() == before
    return refused.value


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# --- the rules --------------------------------------------------------------------------------------


def test_a_cashier_cannot_refund_without_goods_without_a_managers_approval(world):
    sale = w.counter_sale(world, 1)
    error = _refused(world, sale, "")
    assert (error.status, error.code, list(error.fields)) == (403, "approval_required", ["approval_code"])


def test_a_manager_refunds_directly_and_the_refund_records_them(world):
    sale = w.counter_sale(world, 1, method="card")
    (refund,) = services.refund_create(actor=world.manager_a, sale=sale, amount=30_000, reason="trầy xước")
    assert (refund.approved_by, refund.approval, refund.actor) == (world.manager_a, None, world.manager_a)


def test_a_cashier_refunds_once_with_the_managers_code(world):
    sale = w.counter_sale(world, 1)
    approval, code = services.refund_approval_issue(actor=world.manager_a, sale=sale, max_amount=50_000)
    assert code not in approval.code_hash and len(code) == 6  # only a keyed hash of the code is kept
    (refund,) = services.refund_create(
        actor=world.staff_a,
        sale=sale,
        amount=50_000,
        reason="bớt giá",
        approval_code=code[:3] + " " + code[3:],
    )
    assert (refund.approved_by, refund.approval, refund.actor) == (world.manager_a, approval, world.staff_a)
    assert refund.shift == services.open_shift_of(world.staff_a, world.center_a)
    approval.refresh_from_db()
    assert approval.used_by == world.staff_a and approval.used_at is not None
    again = _refused(world, sale, code, amount=1_000)
    assert (again.status, again.code) == (409, "approval_used")


def test_an_expired_code_is_refused(world, time_machine):
    sale = w.counter_sale(world, 1)
    time_machine.move_to(timezone.now())
    _approval, code = services.refund_approval_issue(actor=world.manager_a, sale=sale, max_amount=50_000)
    time_machine.shift(dt.timedelta(minutes=REFUND_APPROVAL_MINUTES, seconds=1))
    assert _refused(world, sale, code).code == "approval_expired"


def test_a_code_for_another_receipt_or_center_is_refused(world):
    sale, other_sale = w.counter_sale(world, 1), w.counter_sale(world, 1)
    _approval, code = services.refund_approval_issue(
        actor=world.manager_a, sale=other_sale, max_amount=50_000
    )
    assert _refused(world, sale, code).code == "approval_other_sale"

    inventory.stock_receive(actor=None, center=world.center_b, product=world.bowl, quantity=3)
    services.shift_open(actor=world.staff_b, center=world.center_b, opening_float=0)
    elsewhere, _created = services.sale_create(
        actor=world.staff_b,
        center=world.center_b,
        client_uuid=uuid.uuid4(),
        lines=[services.LineIn(world.bowl.pk, 1)],
        method="cash",
    )
    _approval, code_b = services.refund_approval_issue(
        actor=world.manager_b, sale=elsewhere, max_amount=50_000
    )
    assert _refused(world, sale, code_b).code == "approval_other_center"


def test_a_wrong_code_is_refused(world):
    sale = w.counter_sale(world, 1)
    _approval, code = services.refund_approval_issue(actor=world.manager_a, sale=sale, max_amount=50_000)
    assert _refused(world, sale, _other(code)).code == "approval_invalid"


def test_an_amount_above_the_approval_is_refused_and_leaves_the_code_usable(world):
    sale = w.counter_sale(world, 1)
    approval, code = services.refund_approval_issue(actor=world.manager_a, sale=sale, max_amount=20_000)
    error = _refused(world, sale, code, amount=20_001)
    assert (error.code, list(error.fields)) == ("approval_amount_exceeded", ["amount"])
    approval.refresh_from_db()
    assert approval.used_at is None
    services.refund_create(
        actor=world.staff_a, sale=sale, amount=20_000, reason="bớt giá", approval_code=code
    )


def test_only_a_manager_of_the_sales_center_approves_and_never_above_what_is_left(world):
    sale = w.counter_sale(world, 1)  # 150.000 ₫
    for actor in (world.staff_a, world.manager_b):
        with pytest.raises(DomainError) as refused:
            services.refund_approval_issue(actor=actor, sale=sale, max_amount=10_000)
        assert refused.value.status == 403
    with pytest.raises(DomainError) as too_much:
        services.refund_approval_issue(actor=world.manager_a, sale=sale, max_amount=150_001)
    assert too_much.value.code == "refund_too_large"
    assert not RefundApproval.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_tills_typing_the_same_code_at_once_refund_once(loaded_places):
    world = w.build()
    sale = w.counter_sale(world, 1)
    _approval, code = services.refund_approval_issue(actor=world.manager_a, sale=sale, max_amount=10_000)
    cashiers = [world.staff_a] + [make_user(Role.CENTER_STAFF, scope_id=world.center_a.pk) for _n in range(3)]
    for cashier in cashiers[1:]:
        services.shift_open(actor=cashier, center=world.center_a, opening_float=0)
    barrier = threading.Barrier(len(cashiers))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def till(cashier) -> None:
        try:
            barrier.wait()
            try:
                services.refund_create(
                    actor=cashier, sale=sale, amount=10_000, reason="bớt giá", approval_code=code
                )
                outcome = "ok"
            except DomainError as error:
                outcome = error.code
            with lock:
                outcomes[outcome] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=till, args=(cashier,)) for cashier in cashiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert outcomes == Counter({"ok": 1, "approval_used": len(cashiers) - 1})
    assert Refund.objects.filter(payment__sale=sale).count() == 1


# --- the shift's report -----------------------------------------------------------------------------


def _shift_with_both_kinds(world):
    """A cashier's shift: two cash sales, a return of one bowl, a cash refund without goods of 20.000 ₫
    and a card refund without goods of 5.000 ₫, both approved by the manager."""
    first = w.counter_sale(world, 1)
    w.counter_sale(world, 1)
    card = w.counter_sale(world, 1, method="card")
    services.return_create(actor=world.staff_a, sale=first, lines={first.lines.get().pk: 1}, reason="nứt")
    second = w.counter_sale(world, 1)
    for sale, amount in ((second, 20_000), (card, 5_000)):
        _approval, code = services.refund_approval_issue(actor=world.manager_a, sale=sale, max_amount=amount)
        services.refund_create(
            actor=world.staff_a, sale=sale, amount=amount, reason="bớt giá", approval_code=code
        )
    return services.open_shift_of(world.staff_a, world.center_a)


def test_the_shift_report_shows_refunds_without_goods_on_their_own_line(world):
    from ocophub.sales.selectors import shift_summary

    shift = _shift_with_both_kinds(world)
    summary = shift_summary(shift)
    assert (summary.cash_sales, summary.cash_return_refunds, summary.cash_refunds_without_goods) == (
        450_000,
        150_000,
        20_000,
    )
    assert summary.refunds_without_goods == 25_000 and summary.return_refunds == 150_000
    assert [r.approved_by for r in summary.without_goods] == [world.manager_a, world.manager_a]
    assert summary.expected == 500_000 + 450_000 - 150_000 - 20_000 == services.expected_cash(shift)

    page = client_of(world.manager_a).get(f"/quay/{world.center_a.slug}/ca/{shift.pk}/dong/")
    text = page.content.decode()
    assert page.status_code == 200
    assert vi("Cash refunds without goods") in text and vi("Refunds without goods (all methods)") in text
    assert '"cash-refunds-without-goods">20.000 ₫' in text and '"refunds-without-goods">−25.000 ₫' in text
    assert str(world.manager_a) in text


def test_the_apis_shift_detail_shows_refunds_without_goods_apart(api, world):
    shift = _shift_with_both_kinds(world)
    body = api.as_user(world.manager_a).call("get", f"/api/v1/shifts/{shift.pk}").json()
    assert (body["cash_refunded_for_returns"], body["cash_refunded_without_goods"]) == (150_000, 20_000)
    assert body["refunded_without_goods"] == 25_000 and body["expected_cash"] == 780_000
    assert [(r["method"], r["amount"], r["approved_by"]) for r in body["refunds_without_goods"]] == [
        ("cash", 20_000, str(world.manager_a)),
        ("card", 5_000, str(world.manager_a)),
    ]


# --- pages --------------------------------------------------------------------------------------------


def test_the_manager_approves_on_the_counter_and_the_cashier_refunds_with_the_code(world):
    sale = w.counter_sale(world, 1)
    receipt = f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/"
    manager = client_of(world.manager_a)
    assert manager.get(receipt).context["can_approve"]
    approved = manager.post(receipt + "duyet-hoan-tien/", {"max_amount": "30.000"})
    assert approved.status_code == 200 and approved["Cache-Control"] == "no-store"
    code = approved.context["code"]
    assert code.replace(" ", "").isdigit() and code in approved.content.decode()

    cashier = client_of(world.staff_a)
    form = cashier.get(receipt + "hoan-tien/")
    assert form.context["needs_code"] and 'name="approval_code"' in form.content.decode()
    done = cashier.post(
        receipt + "hoan-tien/",
        {
            "amount": "30000",
            "reason": "Bớt giá vì trầy",
            "approval_code": code,
            "form_key": form.context["form_key"],
        },
    )
    assert done.status_code == 302 and done["Location"] == receipt
    (refund,) = Refund.objects.filter(payment__sale=sale)
    assert (refund.amount, refund.approved_by, refund.actor) == (30_000, world.manager_a, world.staff_a)
    shown = cashier.get(receipt).content.decode()
    assert vi("without goods") in shown and vi("approved by %(who)s", who=world.manager_a) in shown


def test_the_refund_form_without_a_code_is_refused_in_vietnamese_and_writes_nothing(world):
    sale = w.counter_sale(world, 1)
    url = f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/hoan-tien/"
    response = client_of(world.staff_a).post(url, {"amount": "10000", "reason": "Bớt giá"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "cần quản lý trung tâm duyệt" in text
    assert not Refund.objects.exists()


def test_a_manager_refunds_from_the_form_without_a_code(world):
    sale = w.counter_sale(world, 1, method="transfer")
    url = f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/hoan-tien/"
    manager = client_of(world.manager_a)
    assert not manager.get(url).context["needs_code"]
    response = manager.post(url, {"amount": "10000", "reason": "Bớt giá"})
    assert response.status_code == 302
    assert Refund.objects.get().approved_by == world.manager_a


def test_the_approval_page_exists_for_the_centers_managers_only(world):
    sale = w.counter_sale(world, 1)
    url = f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/duyet-hoan-tien/"
    assert client_of(world.staff_a).get(url).status_code == 404
    assert client_of(world.staff_a).post(url, {"max_amount": "10000"}).status_code == 404
    assert client_of(world.manager_b).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert (
        not client_of(world.staff_a)
        .get(f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/")
        .context["can_approve"]
    )
    assert not RefundApproval.objects.exists()


# --- the API --------------------------------------------------------------------------------------------


def test_the_api_refund_needs_a_managers_approval_code(api, world):
    sale = w.counter_sale(world, 1)
    refunds = f"/api/v1/sales/{sale.pk}/refunds"
    approvals = f"/api/v1/sales/{sale.pk}/refund-approvals"
    cashier = api.as_user(world.staff_a)
    missing = cashier.call("post", refunds, {"amount": 10_000, "reason": "Bớt giá"})
    assert missing.status_code == 403
    error = missing.json()["error"]
    assert error["code"] == "approval_required" and "cần quản lý trung tâm duyệt" in error["message"]
    assert cashier.call("post", approvals, {"max_amount": 10_000}).status_code == 403
    assert api.as_user(world.manager_b).call("post", approvals, {"max_amount": 10_000}).status_code == 404

    issued = api.as_user(world.manager_a).call("post", approvals, {"max_amount": 10_000})
    assert issued.status_code == 201
    code = issued.json()["code"]
    cashier = api.as_user(world.staff_a)
    above = cashier.call("post", refunds, {"amount": 10_001, "reason": "Bớt giá", "approval_code": code})
    assert above.status_code == 422 and above.json()["error"]["code"] == "approval_amount_exceeded"
    done = cashier.call("post", refunds, {"amount": 10_000, "reason": "Bớt giá", "approval_code": code})
    assert done.status_code == 201
    assert [(r["amount"], r["approved_by"]) for r in done.json()["refunds"]] == [
        (10_000, str(world.manager_a))
    ]
    reused = cashier.call("post", refunds, {"amount": 1_000, "reason": "Bớt giá", "approval_code": code})
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "approval_used"
    assert Refund.objects.count() == 1
