"""The plan's progress read by the 126 units in force since 01/07/2025, and a unit officer's own page."""

import datetime as dt
import io
from itertools import count

import pytest
from django.test import Client
from openpyxl import load_workbook

from ocophub.accounts.models import Role
from ocophub.centers.models import Status
from ocophub.centers.services import center_create
from ocophub.places import selectors as places
from ocophub.programme import selectors
from ocophub.programme.demo import plans_load

from ..conftest import make_user
from ..helpers import assert_fixed_queries

ON = dt.date(2025, 12, 1)


def commune(code: int, era: str = "legacy"):
    unit = places.commune_by_code(code, era=era)
    assert unit is not None
    return unit


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plan(loaded_places):
    plans_load()
    found = selectors.plan_by_code("276-KH-UBND")
    assert found is not None
    return found


@pytest.fixture
def bat_trang(plan):
    """A recognised center in old Bát Tràng, a commune split in 2025: its site is in Xã Bát Tràng."""
    return center_create(
        actor=None,
        name="Trung tâm Bát Tràng",
        commune=commune(583),
        unit_2025=commune(577, era="current"),
        status=Status.RECOGNISED,
        effective_on=dt.date(2024, 3, 23),
    )


def counted(progress, name: str) -> int:
    return next(row.counted for row in progress.units if row.unit.name == name)


def test_a_split_commune_counts_once_in_its_stored_unit(bat_trang, plan):
    progress = selectors.progress_2025(plan, ON)
    assert len(progress.units) == 126
    assert counted(progress, "Xã Bát Tràng") == 1
    assert counted(progress, "Xã Gia Lâm") == 0 and counted(progress, "Phường Long Biên") == 0
    assert sum(row.counted for row in progress.units) == 1
    # read by the plan's old units it still counts in huyện Gia Lâm
    assert counted(selectors.progress(plan, ON), "Huyện Gia Lâm") == 1


def test_a_center_whose_unit_is_unknown_is_listed_apart(plan):
    unknown = center_create(
        actor=None,
        name="Trung tâm Duyên Thái",
        commune=commune(10192),  # split in 2025 between three units; the API left it unknown
        status=Status.OPERATING,
        effective_on=dt.date(2024, 5, 1),
    )
    progress = selectors.progress_2025(plan, ON)
    assert [row.center for row in progress.unplaced] == [unknown]
    assert sum(row.counted for row in progress.units) == 0


def test_the_dashboard_and_export_switch_to_the_2025_units(bat_trang, city_admin):
    client = client_of(city_admin)
    page = client.get("/ke-hoach/?by=2025&date=01/12/2025")
    assert page.status_code == 200 and page.context["by_2025"]
    assert len(page.context["progress"].units) == 126
    assert client.get("/ke-hoach/?date=01/12/2025").context["by_2025"] is False
    export = client.get("/ke-hoach/xuat/tien-do.xlsx?by=2025&date=2025-12-01")
    assert export.status_code == 200 and "don-vi-2025" in export["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = {row[1]: row[3] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
    assert rows["Xã Bát Tràng"] == 1 and rows["Xã Gia Lâm"] == 0


def test_the_2025_dashboard_runs_fixed_queries(plan, city_admin):
    client = client_of(city_admin)
    numbers = count()

    def grow(n: int) -> None:
        for _n in range(n):
            center_create(
                actor=None,
                name=f"Trung tâm {next(numbers)}",
                commune=commune(583),
                unit_2025=commune(565, era="current"),
                status=Status.OPERATING,
                effective_on=dt.date(2024, 1, 1),
            )

    assert_fixed_queries(lambda: client.get("/ke-hoach/?by=2025"), grow)


def test_a_unit_officer_is_sent_to_their_own_unit(bat_trang, gia_lam_officer):
    client = client_of(gia_lam_officer)
    gia_lam = places.district_by_code(18)
    assert gia_lam is not None
    to_units = client.get("/ke-hoach/")
    assert to_units.status_code == 302 and to_units["Location"] == "/ke-hoach/don-vi/"
    to_unit = client.get("/ke-hoach/don-vi/")
    assert to_unit.status_code == 302 and to_unit["Location"] == f"/ke-hoach/don-vi/{gia_lam.pk}/"
    page = client.get(f"/ke-hoach/don-vi/{gia_lam.pk}/")
    assert page.status_code == 200 and page.context["row"].counted == 1
    assert "progress_chart" in page.context and "<svg" in str(page.context["progress_chart"])


def test_an_officer_of_a_2025_unit_sees_only_the_centers_stored_in_it(plan):
    for name, unit_code in [("Trung tâm A", 577), ("Trung tâm B", 565)]:
        center_create(
            actor=None,
            name=name,
            commune=commune(583),
            unit_2025=commune(unit_code, era="current"),
            status=Status.OPERATING,
            effective_on=dt.date(2024, 1, 1),
        )
    xa_bat_trang = commune(577, era="current")
    officer = make_user(Role.UNIT_OFFICER, unit=xa_bat_trang)
    page = client_of(officer).get(f"/ke-hoach/don-vi/{xa_bat_trang.pk}/")
    assert page.status_code == 200
    assert [item.center.name for item in page.context["row"].centers] == ["Trung tâm A"]
    assert page.context["by_2025"]


def test_another_unit_is_404_and_visitors_log_in(bat_trang, thuong_tin_officer, customer):
    gia_lam = places.district_by_code(18)
    assert gia_lam is not None
    url = f"/ke-hoach/don-vi/{gia_lam.pk}/"
    assert client_of(thuong_tin_officer).get(url).status_code == 404
    assert client_of(customer).get(url).status_code == 404
    assert client_of(customer).get("/ke-hoach/don-vi/").status_code == 404
    assert client_of(thuong_tin_officer).get("/ke-hoach/don-vi/999999/").status_code == 404
    assert Client().get(url).status_code == 302


def test_the_unit_page_runs_fixed_queries(plan, gia_lam_officer):
    client = client_of(gia_lam_officer)
    gia_lam = places.district_by_code(18)
    assert gia_lam is not None
    numbers = count()

    def grow(n: int) -> None:
        for _n in range(n):
            center_create(
                actor=None,
                name=f"Trung tâm {next(numbers)}",
                commune=commune(583),
                status=Status.PLANNED,
                effective_on=dt.date(2024, 1, 1),
            )

    assert_fixed_queries(lambda: client.get(f"/ke-hoach/don-vi/{gia_lam.pk}/"), grow)
