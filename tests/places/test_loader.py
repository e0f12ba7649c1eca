import json

import pytest

from ocophub.places.models import AdministrativeUnit, CraftVillage, Era, Level, UnitSuccession
from ocophub.places.services import LoadError, places_load
from ocophub.places.sources import DATA_DIR


def snapshot():
    units = list(AdministrativeUnit.objects.order_by("pk").values())
    successions = list(UnitSuccession.objects.order_by("pk").values())
    villages = list(CraftVillage.objects.order_by("pk").values())
    return units, successions, villages


def test_loads_the_city_districts_communes_and_new_units(loaded_places):
    assert AdministrativeUnit.objects.filter(level=Level.CITY).get().name == "Thành phố Hà Nội"
    assert AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.DISTRICT).count() == 30
    snapshot_communes = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE)
    assert snapshot_communes.filter(valid_to="2025-06-30").count() == 526
    assert AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).count() == 126
    current = AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE)
    assert current.filter(division_type="phuong").count() == 51
    assert current.filter(division_type="xa").count() == 75


def test_every_unit_has_its_validity_and_source(loaded_places):
    legacy = AdministrativeUnit.objects.filter(era=Era.LEGACY)
    assert not legacy.filter(valid_to__isnull=True).exists()
    assert not AdministrativeUnit.objects.filter(
        era=Era.CURRENT, level=Level.COMMUNE, valid_from__isnull=True
    ).exists()
    assert not AdministrativeUnit.objects.filter(source="").exists()


def test_dissolved_communes_come_from_the_sourced_fixture(loaded_places):
    kim_lan = AdministrativeUnit.objects.get(name="Xã Kim Lan")
    assert (kim_lan.code, kim_lan.parent.code, kim_lan.valid_to.isoformat()) == (586, 18, "2024-12-31")
    assert "1286" in kim_lan.source
    hoa_lam = AdministrativeUnit.objects.get(name="Xã Hòa Lâm")
    assert hoa_lam.parent.name == "Huyện Ứng Hòa"
    # the same code names another unit in the 2025-01 list: both are kept
    assert AdministrativeUnit.objects.filter(code=10402, era=Era.LEGACY).count() == 2
    kim_duc = AdministrativeUnit.objects.get(code=589, era=Era.LEGACY)
    assert kim_duc.valid_from.isoformat() == "2025-01-01"


def test_second_run_changes_nothing(loaded_places):
    before = snapshot()
    report = places_load()
    assert not report.changed, report.summary()
    assert snapshot() == before


def test_run_repairs_a_changed_row(loaded_places):
    unit = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.DISTRICT, code=18)
    AdministrativeUnit.objects.filter(pk=unit.pk).update(name="Sai tên")
    report = places_load()
    assert report.updated["districts"] == 1
    unit.refresh_from_db()
    assert unit.name == "Huyện Gia Lâm"


def test_a_load_failing_half_way_leaves_the_previous_data_intact(loaded_places, tmp_path):
    AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.DISTRICT, code=18).update(name="Tên cũ")
    before = snapshot()
    villages = json.loads((DATA_DIR / "craft_villages.json").read_text(encoding="utf-8"))
    villages["villages"].append(
        {"slug": "x", "name": "Làng lạ", "commune_code": 999999, "crafts": [], "source": "t"}
    )
    broken = tmp_path / "villages.json"
    broken.write_text(json.dumps(villages), encoding="utf-8")

    with pytest.raises(LoadError, match="999999"):
        places_load(villages_path=broken)

    # the districts had already been refreshed when the villages failed: all of it was rolled back
    assert snapshot() == before
    assert AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.DISTRICT, code=18).name == "Tên cũ"


def test_first_load_into_an_empty_database_is_all_or_nothing(db, tmp_path):
    dissolved = json.loads((DATA_DIR / "dissolved_communes.json").read_text(encoding="utf-8"))
    dissolved["communes"][0]["district_code"] = 4242
    broken = tmp_path / "dissolved.json"
    broken.write_text(json.dumps(dissolved), encoding="utf-8")
    with pytest.raises(LoadError):
        places_load(dissolved_path=broken)
    assert AdministrativeUnit.objects.count() == 0


def test_command_prints_progress_and_is_idempotent(db, capsys):
    from django.core.management import call_command

    call_command("load_places")
    first = capsys.readouterr().out
    assert "communes" in first and "526/526" in first and "updated" in first
    call_command("load_places")
    assert "already up to date" in capsys.readouterr().out


def test_craft_villages_sit_in_their_communes(loaded_places):
    van_phuc = CraftVillage.objects.get(slug="van-phuc")
    assert (van_phuc.commune.code, van_phuc.commune.parent.name) == (9544, "Quận Hà Đông")
    assert [c.name for c in van_phuc.crafts.all()] == ["Dệt lụa"]
    trach_xa = CraftVillage.objects.get(slug="trach-xa")
    assert trach_xa.commune.name == "Xã Hòa Lâm"
    assert all(v.source for v in CraftVillage.objects.all())
