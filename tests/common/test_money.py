from decimal import Decimal

import pytest
from django.utils import translation

from ocophub.common.dates import format_date
from ocophub.common.money import format_vnd, round_vnd


def test_vnd_is_formatted_with_dots_and_the_dong_sign_in_vietnamese():
    assert format_vnd(1250000, "vi") == "1.250.000 ₫"
    assert format_vnd(0, "vi") == "0 ₫"
    assert format_vnd(-5000, "vi") == "-5.000 ₫"


def test_vnd_follows_the_active_language():
    with translation.override("en"):
        assert format_vnd(1250000) == "₫1,250,000"
    with translation.override("vi"):
        assert format_vnd(1250000) == "1.250.000 ₫"


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        format_vnd(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        round_vnd(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("12.5"), 13),
        (Decimal("12.49"), 12),
        (Decimal("-12.5"), -13),
        (Decimal("100000") * Decimal("0.15"), 15000),
    ],
)
def test_round_vnd_rounds_half_up_to_the_dong(amount, expected):
    assert round_vnd(amount) == expected


def test_dates_show_day_month_year():
    import datetime as dt

    assert format_date(dt.date(2024, 3, 23)) == "23/03/2024"
