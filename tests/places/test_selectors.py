import datetime as dt

from ocophub.places import selectors
from ocophub.places.models import Era


def names(steps):
    return sorted(step.unit.name for step in steps)


def test_old_bat_trang_maps_to_three_new_units_partly_merged(loaded_places):
    bat_trang = selectors.commune_by_code(583)
    assert bat_trang.era == Era.LEGACY
    steps = selectors.current_units_covering(bat_trang)
    assert names(steps) == ["Phường Long Biên", "Xã Bát Tràng", "Xã Gia Lâm"]
    assert all(step.partly_merged for step in steps)


def test_whole_communes_are_not_marked_partly_merged(loaded_places):
    steps = selectors.current_units_covering(selectors.commune_by_code(9592))
    assert [(s.unit.name, s.partly_merged) for s in steps] == [("Phường Sơn Tây", False)]


def test_a_commune_dissolved_in_january_2025_reaches_todays_units_through_its_successor(loaded_places):
    kim_lan = selectors.commune_by_code(586)
    assert kim_lan.valid_to == dt.date(2024, 12, 31)
    assert names(selectors.successors(kim_lan)) == ["Xã Kim Đức"]
    assert names(selectors.current_units_covering(kim_lan)) == ["Xã Bát Tràng"]


def test_predecessors_of_a_new_unit(loaded_places):
    new_bat_trang = selectors.commune_by_code(577, era=Era.CURRENT)
    assert new_bat_trang.name == "Xã Bát Tràng"
    old = names(selectors.predecessors(new_bat_trang))
    assert "Xã Bát Tràng" in old and "Xã Kim Đức" in old and "Xã Đa Tốn" in old


def test_code_lookup_prefers_the_most_recent_unit_unless_told(loaded_places):
    assert selectors.commune_by_code(577).name == "Xã Bát Tràng"  # current
    assert selectors.commune_by_code(577, era=Era.LEGACY).name == "Xã Đa Tốn"
    assert selectors.commune_by_code(10402).name == "Xã Ứng Hòa"
    assert selectors.commune_by_code(10402, on=dt.date(2024, 6, 1)).name == "Xã Hòa Lâm"
    assert selectors.commune_by_code(10402, on=dt.date(2025, 3, 1)).name == "Xã Trầm Lộng"


def test_district_of_a_commune_on_a_date(loaded_places):
    assert selectors.district_on(586, dt.date(2023, 12, 28)).name == "Huyện Gia Lâm"
    assert selectors.district_on(586, dt.date(2025, 2, 1)) is None  # Kim Lan no longer existed
    assert selectors.district_on(9544, dt.date(2025, 6, 30)).name == "Quận Hà Đông"
    assert selectors.district_on(9544, dt.date(2025, 7, 1)) is None  # districts abolished


def test_commune_search_ignores_diacritics(loaded_places):
    found = list(selectors.communes(q="duong lam"))
    assert [u.name for u in found] == ["Xã Đường Lâm"]
    assert {u.name for u in selectors.communes(q="VAN PHUC")} >= {"Xã Vạn Phúc", "Phường Vạn Phúc"}


def test_the_plan_has_eighteen_units(loaded_places):
    units = selectors.districts(kinds=["huyen", "thi_xa"])
    assert [u.code for u in units] == [
        16,
        17,
        18,
        20,
        250,
        269,
        271,
        272,
        273,
        274,
        275,
        276,
        277,
        278,
        279,
        280,
        281,
        282,
    ]
    assert [u.code for u in units if u.division_type == "thi_xa"] == [269]
