import datetime as dt
from decimal import Decimal

from ocophub.centers.models import Status
from ocophub.centers.services import center_create, center_transition
from ocophub.places import selectors as places
from ocophub.programme import selectors

from ..conftest import center_named
from ..helpers import assert_fixed_queries

PLAN_CODES = [
    "016",
    "017",
    "018",
    "020",
    "250",
    "269",
    "271",
    "272",
    "273",
    "274",
    "275",
    "276",
    "277",
    "278",
    "279",
    "280",
    "281",
    "282",
]
PILOT_UNITS = {
    "018": "Xã Bát Tràng",
    "269": "Xã Đường Lâm",
    "277": "Xã Phú Nghĩa",
    "279": "Xã Duyên Thái",
    "280": "Xã Chuyên Mỹ",
}


def progress(client, day):
    response = client.get(f"/api/v1/plans/276-KH-UBND/progress?date={day}")
    assert response.status_code == 200
    return response.json()


def test_plans_are_listed_with_their_sources(client, network):
    plans = {p["code"]: p for p in client.get("/api/v1/plans").json()}
    assert set(plans) == {"276-KH-UBND", "49-KH-UBND", "297-KH-UBND"}
    assert plans["276-KH-UBND"]["issued_on"] == "2022-10-25" and plans["276-KH-UBND"]["source"]
    assert len(plans["276-KH-UBND"]["units"]) == 18


def test_end_of_2023_lists_the_18_units_with_the_five_pilot_targets(client, network):
    body = progress(client, "2023-12-31")
    assert [row["unit"]["code_display"] for row in body["units"]] == PLAN_CODES
    with_targets = {row["unit"]["code_display"]: row for row in body["units"] if row["targets"]}
    assert set(with_targets) == set(PILOT_UNITS)
    for code, commune in PILOT_UNITS.items():
        (target,) = with_targets[code]["targets"]
        assert target["target"]["area"]["name"] == commune and target["target"]["due_on"] == "2023-12-31"
    states = {code: row["state"] for code, row in with_targets.items()}
    # four pilots were recognised by Decision 717/QĐ-SCT on 28/12/2023; Đường Lâm was not
    assert states == {"018": "met", "277": "met", "279": "met", "280": "met", "269": "missed"}
    assert all(
        row["state"] == "no_target" for row in body["units"] if row["unit"]["code_display"] not in PILOT_UNITS
    )
    (city,) = body["city_targets"]
    assert (city["counted"], city["state"]) == (10, "met")


def test_before_the_decision_the_pilots_were_not_yet_counted(client, network):
    body = progress(client, "2023-06-30")
    states = {row["unit"]["code_display"]: row["state"] for row in body["units"] if row["targets"]}
    assert states["018"] == "behind"  # no center yet on the way in the records
    assert states["269"] == "on_track"  # Đường Lâm was planned


def test_end_of_2025_evaluates_every_units_target(client, network):
    body = progress(client, "2025-12-31")
    rows = {row["unit"]["code_display"]: row for row in body["units"]}
    assert set(rows) == set(PLAN_CODES)
    for code, row in rows.items():
        labels = [t["target"]["label"] for t in row["targets"]]
        assert any(label.startswith("Ít nhất một trung tâm") for label in labels), code
        assert row["state"] in {"met", "missed"}, (code, row["state"])
    met = {code for code, row in rows.items() if row["state"] == "met"}
    assert met == {"017", "018", "020", "274", "277", "279", "280", "281"}
    assert {u["name"] for u in body["units_without_center"]} >= {
        "Huyện Sóc Sơn",
        "Huyện Mỹ Đức",
        "Thị xã Sơn Tây",
    }


def test_a_center_counts_in_its_old_district_through_its_historical_commune(client, network):
    # Trạch Xá sits in Hòa Lâm, a commune dissolved on 01/01/2025: it still counts for Ứng Hòa
    rows = {row["unit"]["code"]: row for row in progress(client, "2025-12-31")["units"]}
    assert "Trung tâm OCOP làng nghề Trạch Xá" in rows[281]["targets"][0]["centers"]


def test_a_center_set_up_in_a_new_unit_counts_for_the_old_district_it_came_from(client, network):
    # Xã Kim Anh (382) was made on 01/07/2025 of three communes of old Sóc Sơn
    center = center_create(
        actor=None,
        name="Trung tâm OCOP Kim Anh",
        commune=places.commune_by_code(382),
        status=Status.UNDER_CONSTRUCTION,
        effective_on=dt.date(2025, 8, 1),
    )
    center_transition(
        actor=None, center=center, to=Status.RECOGNISED, recognition=_decision(dt.date(2025, 11, 20))
    )
    rows = {row["unit"]["code"]: row for row in progress(client, "2025-12-31")["units"]}
    assert rows[16]["state"] == "met" and rows[16]["counted"] == 1


def test_states_met_on_track_behind_missed(client, network):
    soc_son = center_named("Sóc Sơn (minh họa)")
    mid_2025 = {row["unit"]["code"]: row["state"] for row in progress(client, "2025-10-01")["units"]}
    assert mid_2025[16] == "on_track"  # its center is under construction
    assert mid_2025[250] == "behind"  # Mê Linh: nothing on the way
    assert mid_2025[18] == "met"
    assert soc_son.status == Status.UNDER_CONSTRUCTION
    end = {row["unit"]["code"]: row["state"] for row in progress(client, "2025-12-31")["units"]}
    assert end[16] == "missed" and end[250] == "missed"


def _decision(day):
    from ocophub.centers.services import RecognitionInput

    return RecognitionInput(decision_number="1/QĐ-SCT", decision_date=day, issuer="SCT", score=Decimal(75))


def test_new_centers_targets_count_only_centers_recognised_in_the_year(client, network):
    body = client.get("/api/v1/plans/297-KH-UBND/progress?date=2024-12-31").json()
    (target_2024,) = body["city_targets"]
    assert (target_2024["counted"], target_2024["state"]) == (0, "missed")  # the ten were recognised in 2023


def test_unknown_plan_and_bad_date(client, network):
    assert client.get("/api/v1/plans/999-KH/progress").status_code == 404
    bad = client.get("/api/v1/plans/276-KH-UBND/progress?date=31/12/2025")
    assert bad.status_code == 422 and "date" in bad.json()["error"]["fields"]


def test_progress_and_dashboard_run_a_fixed_number_of_queries(client, network, city_admin):
    counter = iter(range(1000))

    def grow(n):
        for _ in range(n):
            i = next(counter)
            center = center_create(
                actor=None,
                name=f"Trung tâm {i}",
                commune=places.commune_by_code(10060),
                status=Status.UNDER_CONSTRUCTION,
                effective_on=dt.date(2024, 1, 1),
                latitude=Decimal("20.9"),
                longitude=Decimal("105.7"),
            )
            center_transition(
                actor=None, center=center, to=Status.RECOGNISED, recognition=_decision(dt.date(2024, 5, 1))
            )

    assert_fixed_queries(lambda: client.get("/api/v1/plans/276-KH-UBND/progress?date=2025-12-31"), grow)
    client.force_login(city_admin)
    assert_fixed_queries(lambda: client.get("/ke-hoach/?date=2025-12-31"), grow)
    rows = {
        row.unit.code: row
        for row in selectors.progress(selectors.plan_by_code("276-KH-UBND"), dt.date(2025, 12, 31)).units
    }
    assert rows[277].counted == 1 + 36  # Phú Vinh and the centers added in Chương Mỹ


def test_a_met_target_stays_met_when_the_center_is_suspended_later(client, network):
    center = center_named("Bát Tràng")
    center_transition(actor=None, center=center, to=Status.SUSPENDED, effective_on=dt.date(2024, 6, 1))
    rows = {row["unit"]["code"]: row for row in progress(client, "2024-06-30")["units"]}
    pilot = next(t for t in rows[18]["targets"] if t["target"]["label"].startswith("Thí điểm"))
    assert pilot["state"] == "met"  # judged on its due date, 31/12/2023


def test_funding_of_a_center_in_a_unit_made_from_two_old_districts_is_counted_once(api, network, city_admin):
    from ocophub.programme.services import commitment_create

    # Xã Nam Phù (685) was made of communes of Thường Tín and Thanh Trì
    center = center_create(actor=None, name="Trung tâm OCOP Nam Phù", commune=places.commune_by_code(685))
    commitment_create(
        actor=None,
        center=center,
        source="state_city",
        amount=700_000_000,
        committed_on=dt.date(2025, 9, 1),
        document="QĐ",
    )
    body = api.as_user(city_admin).call("get", "/api/v1/funding/totals?by=district").json()
    rows = {r["label"]: r["committed"] for r in body["rows"]}
    assert rows["Huyện Thanh Trì / Huyện Thường Tín"] == 700_000_000
    assert sum(rows.values()) == body["committed"]
