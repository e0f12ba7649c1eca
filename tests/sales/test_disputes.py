"""Settlement disputes: the producer disputes an issued statement with a reason, the center answers it
(confirm: issued again; cancel: its lines are released for a corrected statement), each move an event
row and an e-mail; illegal moves change nothing."""

import pytest
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.common.errors import Conflict, DomainError
from ocophub.sales import services
from ocophub.sales.models import SaleLine, Settlement, SettlementEvent, SettlementState

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import world as w
from .test_settlement_pages import client_of, issue, sell_last_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build(rate="0.1750")


@pytest.fixture
def settlement(world):
    sell_last_month(world)
    return issue(world)


def _state(settlement: Settlement) -> str:
    settlement.refresh_from_db()
    return settlement.state


def _moves(settlement: Settlement) -> list[tuple[str, str]]:
    return list(settlement.events.order_by("at", "pk").values_list("from_state", "to_state"))


# --- the services ---------------------------------------------------------------------------------


def test_dispute_then_confirm_then_accept_walks_the_map_with_an_event_per_move(
    world, settlement, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.settlement_dispute(actor=world.member_a, settlement=settlement, reason="Thiếu 2 bát")
    assert _state(settlement) == SettlementState.DISPUTED
    assert settlement.dispute_reason == "Thiếu 2 bát"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [world.manager_a.email]
    assert f"QT {settlement.pk}" in mailoutbox[0].subject and "Thiếu 2 bát" in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        services.settlement_answer(
            actor=world.manager_a, settlement=settlement, reply="Đã kiểm lại, đúng số", outcome="confirm"
        )
    assert _state(settlement) == SettlementState.ISSUED
    assert settlement.dispute_reply == "Đã kiểm lại, đúng số"
    assert len(mailoutbox) == 2 and mailoutbox[1].to == [world.member_a.email]
    assert "Đã kiểm lại, đúng số" in mailoutbox[1].body
    # the lines stay with the confirmed statement
    assert SaleLine.objects.filter(settlement=settlement).count() == 3

    services.settlement_accept(actor=world.member_a, settlement=settlement)
    assert _moves(settlement) == [
        ("", "issued"),
        ("issued", "disputed"),
        ("disputed", "issued"),
        ("issued", "accepted"),
    ]
    reasons = list(settlement.events.order_by("at", "pk").values_list("reason", flat=True))
    assert reasons[1:3] == ["Thiếu 2 bát", "Đã kiểm lại, đúng số"]
    actors = list(settlement.events.order_by("at", "pk").values_list("actor_id", flat=True))
    assert actors[1:3] == [world.member_a.pk, world.manager_a.pk]


def test_answer_by_cancelling_releases_the_lines_for_a_corrected_statement(world, settlement):
    services.settlement_dispute(actor=world.member_a, settlement=settlement, reason="Sai đơn giá")
    services.settlement_answer(
        actor=world.manager_a, settlement=settlement, reply="Sẽ lập lại", outcome="cancel"
    )
    assert _state(settlement) == SettlementState.CANCELLED
    assert not SaleLine.objects.filter(settlement=settlement).exists()
    corrected = issue(world)
    assert corrected.pk != settlement.pk and corrected.units_sold == settlement.units_sold


@pytest.mark.parametrize("state", ["accepted", "paid", "cancelled"])
def test_a_statement_not_issued_cannot_be_disputed(world, settlement, state):
    from ocophub.common.dates import local_today

    if state in ("accepted", "paid"):
        services.settlement_accept(actor=world.member_a, settlement=settlement)
    if state == "paid":
        services.settlement_pay(
            actor=world.manager_a, settlement=settlement, paid_on=local_today(), reference="UNC 1"
        )
    if state == "cancelled":
        services.settlement_cancel(actor=world.manager_a, settlement=settlement, reason="Lập lại")
    events = SettlementEvent.objects.count()
    with pytest.raises(Conflict):
        services.settlement_dispute(actor=world.member_a, settlement=settlement, reason="Sai")
    assert _state(settlement) == state and settlement.dispute_reason == ""
    assert SettlementEvent.objects.count() == events


def test_a_statement_not_disputed_cannot_be_answered(
    world, settlement, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        services.settlement_answer(
            actor=world.manager_a, settlement=settlement, reply="Đúng", outcome="confirm"
        )
    assert _state(settlement) == SettlementState.ISSUED and settlement.dispute_reply == ""
    assert SettlementEvent.objects.filter(settlement=settlement).count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_dispute_needs_a_reason_of_at_most_2000_characters(world, settlement, reason):
    with pytest.raises(DomainError) as error:
        services.settlement_dispute(actor=world.member_a, settlement=settlement, reason=reason)
    assert "reason" in error.value.fields
    assert _state(settlement) == SettlementState.ISSUED


def test_an_answer_needs_a_reply_and_a_known_outcome(world, settlement):
    services.settlement_dispute(actor=world.member_a, settlement=settlement, reason="Sai")
    for reply, outcome, field in (("", "confirm", "reply"), ("Đúng", "approve", "outcome")):
        with pytest.raises(DomainError) as error:
            services.settlement_answer(
                actor=world.manager_a, settlement=settlement, reply=reply, outcome=outcome
            )
        assert field in error.value.fields
    assert _state(settlement) == SettlementState.DISPUTED


# --- the pages ------------------------------------------------------------------------------------


def test_producer_disputes_on_the_page_and_the_manager_sees_it_on_the_page_and_the_list(world, settlement):
    url = f"/quyet-toan/{settlement.pk}/"
    page = client_of(world.member_a).get(url)
    assert (
        page.context["can_dispute"]
        and f'action="/quyet-toan/{settlement.pk}/khieu-nai/"' in page.content.decode()
    )
    response = client_of(world.member_a).post(f"{url}khieu-nai/", {"reason": "Thiếu 2 bát ngày 05"})
    assert response.status_code == 302 and response["Location"] == url
    manager = client_of(world.manager_a)
    detail = manager.get(url).content.decode()
    assert "Thiếu 2 bát ngày 05" in detail and 'data-testid="answer-form"' in detail
    listing = manager.get("/quyet-toan/")
    html = listing.content.decode()
    assert 'data-testid="dispute-flag"' in html and listing.context["disputed"] == 1
    assert list(manager.get("/quyet-toan/?state=disputed").context["settlements"]) == [settlement]


def test_manager_answers_on_the_page(world, settlement):
    services.settlement_dispute(actor=world.member_a, settlement=settlement, reason="Sai")
    url = f"/quyet-toan/{settlement.pk}/tra-loi/"
    response = client_of(world.manager_a).post(url, {"reply": "Sẽ lập bảng kê mới", "outcome": "cancel"})
    assert response.status_code == 302
    assert _state(settlement) == SettlementState.CANCELLED
    assert (
        "Sẽ lập bảng kê mới"
        in client_of(world.member_a).get(f"/quyet-toan/{settlement.pk}/").content.decode()
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"reply": "", "outcome": "confirm"},
        {"reply": "Đúng", "outcome": "duyet"},
        {"reply": "x" * 2001, "outcome": "confirm"},
    ],
)
def test_a_bad_answer_is_400_with_a_field_error_and_changes_nothing(world, settlement, data):
    services.settlement_dispute(actor=world.member_a, settlement=settlement, reason="Sai")
    response = client_of(world.manager_a).post(f"/quyet-toan/{settlement.pk}/tra-loi/", data)
    assert response.status_code == 400
    assert response.context["answer_form"].errors
    assert _state(settlement) == SettlementState.DISPUTED and settlement.dispute_reply == ""


@pytest.mark.parametrize("reason", ["", "x" * 2001])
def test_a_bad_dispute_is_400_and_changes_nothing(world, settlement, reason):
    response = client_of(world.member_a).post(f"/quyet-toan/{settlement.pk}/khieu-nai/", {"reason": reason})
    assert response.status_code == 400
    assert "reason" in response.context["dispute_form"].errors
    assert _state(settlement) == SettlementState.ISSUED


def test_illegal_moves_on_the_pages_are_409_with_a_message(world, settlement):
    answer = client_of(world.manager_a).post(
        f"/quyet-toan/{settlement.pk}/tra-loi/", {"reply": "Đúng", "outcome": "confirm"}
    )
    assert answer.status_code == 409 and answer.context["error"].message
    services.settlement_accept(actor=world.member_a, settlement=settlement)
    dispute = client_of(world.member_a).post(f"/quyet-toan/{settlement.pk}/khieu-nai/", {"reason": "Sai"})
    assert dispute.status_code == 409 and 'data-testid="form-error"' in dispute.content.decode()
    assert _state(settlement) == SettlementState.ACCEPTED


def test_only_the_producer_disputes_and_only_the_center_answers(world, settlement):
    dispute = f"/quyet-toan/{settlement.pk}/khieu-nai/"
    for user in (world.member_b, world.manager_a, world.manager_b, world.staff_a):
        assert client_of(user).post(dispute, {"reason": "Sai"}).status_code == 404
    assert Client().post(dispute, {"reason": "Sai"}).status_code == 302
    assert _state(settlement) == SettlementState.ISSUED
    services.settlement_dispute(actor=world.member_a, settlement=settlement, reason="Sai")
    answer = f"/quyet-toan/{settlement.pk}/tra-loi/"
    for user in (world.member_a, world.member_b, world.manager_b, world.staff_a, make_user(Role.CITY_ADMIN)):
        assert client_of(user).post(answer, {"reply": "Đúng", "outcome": "confirm"}).status_code == 404
    assert Client().post(answer, {"reply": "Đúng", "outcome": "confirm"}).status_code == 302
    assert _state(settlement) == SettlementState.DISPUTED


def test_the_list_with_disputes_runs_a_fixed_number_of_queries(world):
    import datetime as dt

    from ocophub.common.dates import local_today

    client = client_of(world.manager_a)
    months = iter(range(1, 40))

    def grow(n: int) -> None:
        for _ in range(n):
            end = local_today().replace(day=1) - dt.timedelta(days=1)
            for _back in range(next(months) - 1):
                end = end.replace(day=1) - dt.timedelta(days=1)
            made = services.settlement_create(
                actor=None,
                producer=world.producer_b,
                center=world.center_a,
                period_start=end.replace(day=1),
                period_end=end,
            )
            member = world.member_b
            services.settlement_dispute(actor=member, settlement=made, reason="Sai")

    assert_fixed_queries(lambda: client.get("/quyet-toan/"), grow)


# --- the API --------------------------------------------------------------------------------------


def test_api_dispute_and_answer(world, settlement):
    member = client_of(world.member_a)
    url = f"/api/v1/settlements/{settlement.pk}"
    empty = member.post(f"{url}/dispute", {"reason": ""}, content_type="application/json")
    assert empty.status_code == 422
    response = member.post(f"{url}/dispute", {"reason": "Thiếu hàng"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["state"] == "disputed" and response.json()["dispute_reason"] == "Thiếu hàng"
    again = member.post(f"{url}/dispute", {"reason": "Thiếu hàng"}, content_type="application/json")
    assert again.status_code == 409
    other = client_of(world.manager_b).post(
        f"{url}/answer", {"reply": "Đúng", "outcome": "confirm"}, content_type="application/json"
    )
    assert other.status_code == 404
    answer = client_of(world.manager_a).post(
        f"{url}/answer", {"reply": "Đúng", "outcome": "confirm"}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["state"] == "issued"
    assert [e["to_state"] for e in answer.json()["events"]] == ["issued", "disputed", "issued"]


def test_a_disputed_statement_still_downloads_as_excel(world, settlement):
    import io

    from openpyxl import load_workbook

    services.settlement_dispute(actor=world.member_a, settlement=settlement, reason="Sai")
    response = client_of(world.manager_a).get(f"/quyet-toan/{settlement.pk}/bang-ke.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert any(cell.value == "Chủ thể khiếu nại" for row in sheet.iter_rows() for cell in row)
