"""Reads Hanoi's units from the `vietnam-provinces` package into plain rows.

This is the only module that knows the package. The partly-merged flag of the 2025 conversion table
is not exposed by the package's public classes, so it is read from its conversion module here, and
a test pins the values the platform relies on.
"""

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from vietnam_provinces import Province, ProvinceCode, Ward
from vietnam_provinces import legacy as legacy_units
from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW  # official table, see module docstring

HANOI = 1
DATA_DIR = Path(__file__).parent / "data"
PACKAGE_SOURCE = "vietnam-provinces 2026.9.0"
CONVERSION_SOURCE = "NQ 1656/NQ-UBTVQH15; bảng chuyển đổi ĐVHC mới–cũ (vietnam-provinces 2026.9.0)"

_TYPE_MAP = {
    "thành phố trung ương": "thanh_pho_tw",
    "quận": "quan",
    "huyện": "huyen",
    "thị xã": "thi_xa",
    "thành phố": "thanh_pho",
    "phường": "phuong",
    "xã": "xa",
    "thị trấn": "thi_tran",
}


@dataclass(frozen=True)
class UnitRow:
    era: str
    level: str
    division_type: str
    code: int
    name: str
    parent: tuple[str, str, int] | None  # (era, level, code) of the parent
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str


@dataclass(frozen=True)
class SuccessionRow:
    predecessor: tuple[int, dt.date]  # (legacy commune code, its valid_to)
    successor_era: str
    successor_code: int
    successor_valid_to: dt.date | None
    effective_date: dt.date
    partly_merged: bool
    source: str


def _type(value: str) -> str:
    return _TYPE_MAP[str(value)]


def city() -> UnitRow:
    province = Province.from_code(ProvinceCode(HANOI))
    return UnitRow(
        "current",
        "city",
        _type(province.division_type.value),
        HANOI,
        province.name,
        None,
        None,
        None,
        PACKAGE_SOURCE,
    )


def legacy_districts() -> list[UnitRow]:
    from .models import LAST_DAY_THREE_TIER

    return [
        UnitRow(
            "legacy",
            "district",
            _type(d.division_type.value),
            d.code.value,
            d.name,
            ("current", "city", HANOI),
            None,
            LAST_DAY_THREE_TIER,
            f"{PACKAGE_SOURCE} (legacy, 2025-01)",
        )
        for d in legacy_units.District.iter_by_province(legacy_units.ProvinceCode(HANOI))
    ]


def legacy_communes() -> list[UnitRow]:
    from .models import LAST_DAY_THREE_TIER

    rows = []
    for district in legacy_units.District.iter_by_province(legacy_units.ProvinceCode(HANOI)):
        for ward in legacy_units.Ward.iter_by_district(district.code):
            rows.append(
                UnitRow(
                    "legacy",
                    "commune",
                    _type(ward.division_type.value),
                    ward.code.value,
                    ward.name,
                    ("legacy", "district", district.code.value),
                    None,
                    LAST_DAY_THREE_TIER,
                    f"{PACKAGE_SOURCE} (legacy, 2025-01)",
                )
            )
    return rows


def current_units() -> list[UnitRow]:
    from .models import REFORM_2025_07

    return [
        UnitRow(
            "current",
            "commune",
            _type(w.division_type.value),
            w.code.value,
            w.name,
            ("current", "city", HANOI),
            REFORM_2025_07,
            None,
            f"{PACKAGE_SOURCE}; NQ 1656/NQ-UBTVQH15",
        )
        for w in Ward.iter_by_province(ProvinceCode(HANOI))
    ]


def conversion_2025_07(legacy_codes: list[int]) -> list[SuccessionRow]:
    from .models import LAST_DAY_THREE_TIER, REFORM_2025_07

    rows = []
    for code in legacy_codes:
        entry = OLD_TO_NEW.get(code)
        if entry is None:
            continue
        for new in entry.new_wards:
            if new.province_code != HANOI:
                continue
            rows.append(
                SuccessionRow(
                    (code, LAST_DAY_THREE_TIER),
                    "current",
                    new.code,
                    None,
                    REFORM_2025_07,
                    entry.old_ward.is_partly_merged,
                    CONVERSION_SOURCE,
                )
            )
    return rows


def load_json(name: str, path: Path | None = None) -> dict:
    with open(path or DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)
