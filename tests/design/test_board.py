"""The studio board: its figures on a small world with known times, who sees which centers, and a fixed
number of queries whatever the number of requests."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.accounts.services import role_grant
from ocophub.common.dates import local_today
from ocophub.design import services
from ocophub.design.models import DesignRequest, Payer

from ..helpers import assert_fixed_queries
from . import world

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
URL = "/lam-viec/xuong-thiet-ke/"
PERIOD = "?start=01/01/2025&end=31/12/2025"


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=HANOI)


def _dated(request: DesignRequest, submitted: dt.datetime, delivered: dt.datetime | None = None) -> None:
    fields = {"submitted_at": submitted}
    if delivered is not None:
        fields["delivered_at"] = delivered
    DesignRequest.objects.filter(pk=request.pk).update(**fields)


def board_world() -> world.DesignWorld:
    """Center A: two deliveries (10 and 4.5 days), one overdue shared request, one new, one declined,
    all in 2025, and one accepted on 31/12/2024; center B: one new request in 2025."""
    w = world.build()
    # producer-paid, delivered after 10 days
    w.r1 = world.advance(w, world.submit(w, title="Nhãn hũ gốm"), "delivered")
    _dated(w.r1, at(2025, 3, 1, 8), at(2025, 3, 11, 8))
    # a subsidy alone, delivered after 4.5 days
    w.r2 = world.advance(
        w,
        world.submit(
            w,
            title="Hộp bình hoa",
            kind="packaging",
            payer=Payer.SUBSIDY,
            commitment=w.commitment_a,
            budget=4_000_000,
        ),
        "delivered",
    )
    _dated(w.r2, at(2025, 4, 1, 8), at(2025, 4, 5, 20))
    # shared 30 %, in progress, past its due date; a price whose subsidy has an odd đồng to round down
    w.r3 = world.advance(
        w,
        world.submit(
            w,
            title="Bộ nhận diện",
            kind="brand",
            payer=Payer.SHARED,
            subsidy_percent=30,
            commitment=w.commitment_a,
        ),
        "in_progress",
    )
    DesignRequest.objects.filter(pk=w.r3.pk).update(
        submitted_at=at(2025, 5, 1, 9), due_on=dt.date(2025, 6, 1), price=2_500_001
    )
    # new, awaiting acceptance
    w.r4 = world.submit(w, title="Ảnh sản phẩm", kind="photography")
    _dated(w.r4, at(2025, 6, 1, 10))
    # declined: counted by state, not in the money
    w.r5 = services.design_request_decline(
        actor=w.manager_a, request=world.submit(w, title="Kệ trưng bày", kind="display"), reason="Không kịp."
    )
    _dated(w.r5, at(2025, 7, 1, 10))
    # accepted on the last evening of 2024: open now, outside the period
    w.r_old = world.advance(w, world.submit(w, title="Nhãn cũ"), "accepted")
    _dated(w.r_old, at(2024, 12, 31, 23, 30))
    # another center's request
    w.rb = world.submit(
        w,
        actor=w.member_b,
        producer=w.producer_b,
        center=w.center_b,
        products=[w.tea],
        title="Hộp trà sơn mài",
        references=[],
    )
    _dated(w.rb, at(2025, 5, 2, 10))
    return w


@pytest.fixture
def w(loaded_places):
    return board_world()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _board(user, query: str = PERIOD):
    response = _client(user).get(URL + query)
    assert response.status_code == 200, response.content[:400]
    return response.context["board"], response


def test_the_figures_of_a_center(w):
    board, response = _board(w.manager_a)
    counts = {row.state: row.count for row in board.by_state}
    assert counts["delivered"] == 2
    assert counts["in_progress"] == 1
    assert counts["submitted"] == 1
    assert counts["declined"] == 1
    assert counts["accepted"] == 0  # the 2024 request is outside the period
    assert board.submitted_total == 5
    assert board.open_total == 2  # r3 and the 2024 request
    assert board.overdue_total == 1
    assert board.awaiting_total == 1
    assert board.delivered_total == 2
    assert board.median_days == Decimal("7.3")  # (10 + 4.5) / 2 = 7.25, half up

    assert [row.pk for row in board.open_rows] == [w.r3.pk, w.r_old.pk]  # by due date
    html = response.content.decode()
    assert html.count('data-testid="overdue"') == 1
    assert w.r3.number in html and w.rb.number not in html

    workload = {row.designer_id: row for row in board.workload}
    mine = workload[w.designer_a.pk]
    assert (mine.open, mine.overdue, mine.delivered) == (2, 1, 2)
    idle = workload[w.designer_a2.pk]
    assert (idle.open, idle.overdue, idle.delivered) == (0, 0, 0)
    assert w.designer_b.pk not in workload

    sources = {row.key: row for row in board.by_source}
    assert list(sources) == ["producer", "state_city"]
    paid = sources["producer"]
    assert (paid.requests, paid.cost, paid.subsidy, paid.producer_share) == (2, 5_500_000, 0, 5_500_000)
    city = sources["state_city"]
    assert (city.requests, city.cost, city.subsidy, city.producer_share) == (
        2,
        5_000_001,
        3_250_000,
        1_750_001,
    )
    assert board.subsidy_total == sum(
        r.subsidy_amount for r in DesignRequest.objects.filter(pk__in=[w.r1.pk, w.r2.pk, w.r3.pk, w.r4.pk])
    )

    (producer,) = board.by_producer
    assert (producer.label, producer.requests, producer.delivered) == (w.producer_a.name, 5, 2)
    assert (producer.cost, producer.subsidy) == (10_500_001, 3_250_000)
    assert board.by_commitment is None  # the commitments' table is the city's
    assert "3.250.000" in html
    assert response.context["charts"]["by_state"].count("<rect") >= 4


def test_the_city_sees_every_center_and_what_the_budget_bought(w):
    board, response = _board(w.city)
    assert board.submitted_total == 6
    assert {row.label for row in board.by_producer} == {w.producer_a.name, w.producer_b.name}
    (row,) = board.by_commitment
    assert row.commitment_id == w.commitment_a.pk
    assert (row.requests, row.delivered, row.subsidy) == (2, 1, 3_250_000)
    assert row.remaining == services.commitment_remaining(w.commitment_a) == 20_000_000 - 3_250_000
    assert 'data-testid="by-commitment"' in response.content.decode()

    only_b, _response = _board(w.city, PERIOD + f"&center={w.center_b.pk}")
    assert only_b.submitted_total == 1
    assert only_b.by_commitment == []


def test_a_designer_sees_their_center_only(w):
    board, _response = _board(w.designer_b)
    assert board.submitted_total == 1
    assert [row.label for row in board.by_producer] == [w.producer_b.name]
    assert _client(w.designer_b).get(URL + PERIOD + f"&center={w.center_a.pk}").status_code == 404


def test_a_designer_of_two_centers_picks_one(w):
    role_grant(actor=None, user=w.designer_b, role=Role.DESIGNER, scope_id=w.center_a.pk)
    both, response = _board(w.designer_b)
    assert both.submitted_total == 6
    assert 'name="center"' in response.content.decode()
    one, _response = _board(w.designer_b, PERIOD + f"&center={w.center_a.pk}")
    assert one.submitted_total == 5


def test_out_of_scope_is_404_and_anonymous_goes_to_login(w):
    assert _client(w.manager_a).get(URL + f"?center={w.center_b.pk}").status_code == 404
    assert _client(w.manager_a).get(URL + "?center=999999").status_code == 404
    assert _client(w.manager_a).get(URL + "?center=abc").status_code == 404
    assert _client(w.member_a).get(URL).status_code == 404
    assert _client(w.member_a).get(URL + "excel/").status_code == 404
    response = Client().get(URL)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_a_bad_period_is_refused_with_a_message(w):
    client = _client(w.manager_a)
    response = client.get(URL + "?start=31/02/2025")
    assert response.status_code == 400
    assert "dd/mm/yyyy" in response.content.decode()
    response = client.get(URL + "?start=01/06/2025&end=01/05/2025")
    assert response.status_code == 400
    assert response.context["form"].errors["end"]
    assert client.get(URL + "excel/?start=01/06/2025&end=01/05/2025").status_code == 400


def test_the_default_period_is_this_year(w):
    board, response = _board(w.manager_a, "")
    today = local_today()
    assert (board.scope.start, board.scope.end) == (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    assert board.submitted_total == 0  # every request of the world was dated in 2024 or 2025
    assert board.open_total == 2


def test_the_median_of_an_odd_number_is_the_middle_one(w):
    third = world.advance(w, world.submit(w, title="Nhãn thứ ba"), "delivered")
    _dated(third, at(2025, 8, 1, 8), at(2025, 8, 3, 8))
    board, _response = _board(w.manager_a)
    assert board.median_days == Decimal("4.5")  # 2, 4.5 and 10 days


def test_the_board_reads_a_fixed_number_of_queries(w):
    client = _client(w.city)

    def grow(n: int) -> None:
        for index in range(n):
            request = world.submit(w, title=f"Yêu cầu {index}", references=[])
            if index % 2:
                services.design_request_accept(
                    actor=w.manager_a,
                    request=request,
                    designer=w.designer_a2,
                    due_on=local_today() + dt.timedelta(days=5),
                    price=1_000_000,
                )
            _dated(request, at(2025, 9, 1, 8))

    assert_fixed_queries(lambda: client.get(URL + PERIOD), grow)
    assert_fixed_queries(lambda: _client(w.manager_a).get(URL + PERIOD), grow)
    assert_fixed_queries(lambda: client.get(URL + "excel/" + PERIOD), grow)
