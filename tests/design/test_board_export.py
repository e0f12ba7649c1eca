"""The studio board's Excel file, and its link in the work menu."""

import io

import pytest
from django.test import Client, RequestFactory
from openpyxl import load_workbook

from ocophub.accounts import permissions
from ocophub.common.xlsx import MONEY_FORMAT
from ocophub.web.context_processors import navigation

from ..helpers import count_queries
from .test_board import PERIOD, URL, board_world


@pytest.fixture
def w(loaded_places):
    return board_world()


def _workbook(user, query: str = PERIOD):
    client = Client()
    client.force_login(user)
    response = client.get(URL + "excel/" + query)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="xuong-thiet-ke-2025-01-01-2025-12-31.xlsx"' in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_the_export_has_the_period_requests_and_a_summary(w):
    book = _workbook(w.manager_a)
    assert book.sheetnames[:2] == ["Yêu cầu", "Tổng hợp"]
    assert "Các cam kết" not in book.sheetnames  # the commitments' sheet is the city's
    requests = book["Yêu cầu"]
    header = [cell.value for cell in requests[1]]
    assert header[0] == "Số" and len(header) == 15
    rows = {row[0]: row for row in requests.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {w.r1.number, w.r2.number, w.r3.number, w.r4.number, w.r5.number}
    shared = rows[w.r3.number]
    assert shared[1] == "Bộ nhận diện"
    assert shared[7] == "01/05/2025"  # submitted
    assert shared[8] == "01/06/2025"  # due
    assert shared[9] is None or shared[9] == ""  # not delivered
    assert shared[10:13] == (2_500_001, 750_000, 1_750_001)
    assert shared[13] == "Ngân sách thành phố"
    assert shared[14] == "Có"  # overdue
    delivered = rows[w.r1.number]
    assert delivered[9] == "11/03/2025"
    assert delivered[13] == "Chủ thể tự chi trả" and delivered[14] == "Không"
    assert isinstance(delivered[10], int)
    money_cell = requests.cell(row=2, column=11)
    assert money_cell.number_format == MONEY_FORMAT

    summary = {row[0]: row for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Yêu cầu gửi trong kỳ"][1] == 5
    assert summary["Quá hạn hiện nay"][1] == 1
    assert float(summary["Số ngày trung vị từ khi gửi đến khi bàn giao"][1]) == 7.3
    assert summary["Tổng chi phí"][2:] == (10_500_001, 3_250_000, 7_250_001)


def test_the_city_export_has_every_center_and_the_commitments(w):
    book = _workbook(w.city)
    assert book["Yêu cầu"].max_row == 1 + 6
    commitments = list(book["Các cam kết"].iter_rows(min_row=2, values_only=True))
    assert len(commitments) == 1
    assert commitments[0][4] == 20_000_000 and commitments[0][9] == 16_750_000


def test_the_export_keeps_the_scope(w):
    client = Client()
    client.force_login(w.designer_b)
    assert client.get(URL + "excel/" + PERIOD + f"&center={w.center_a.pk}").status_code == 404
    book = _workbook(w.designer_b)
    assert book["Yêu cầu"].max_row == 1 + 1


def test_the_work_menu_links_to_the_board_for_its_people(w):
    for user, shown in ((w.manager_a, True), (w.designer_a, True), (w.city, True), (w.member_a, False)):
        client = Client()
        client.force_login(user)
        html = client.get("/").content.decode()
        assert ('data-testid="studio-board-link"' in html) is shown, user
    request = RequestFactory().get("/")
    request.user = w.designer_a
    permissions.scope_ids(w.designer_a)  # the grants, read once per request
    context = navigation(request)
    assert context["can_view_studio_board"] is True
    # the flag is read from the grants already loaded: no query of its own
    queries, flag = count_queries(lambda: permissions.can_view_studio_board(w.designer_a))
    assert flag is True
    assert queries == 0
