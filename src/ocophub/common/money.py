"""Money is integer đồng: VND has no minor unit.

Rounding rule (the only one): an amount computed from a rate is rounded half up to the whole
đồng (`round_vnd`). Display uses a dot between thousands and the sign after a space:
1250000 → "1.250.000 ₫" in Vietnamese, "₫1,250,000" in English.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import get_language

if TYPE_CHECKING:
    # Any, Any: the plugin then takes the set and get types from BigIntegerField (None when nullable)
    _BigIntegerField = models.BigIntegerField[Any, Any]
else:  # model fields take no type parameters at run time
    _BigIntegerField = models.BigIntegerField


class VNDField(_BigIntegerField):
    """A whole number of đồng."""

    description = "Amount in Vietnamese đồng (integer)"


def round_vnd(amount: Decimal | int) -> int:
    """Round a computed amount half up to the whole đồng."""
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_vnd(amount: int | None, language: str | None = None) -> str:
    if amount is None:
        return ""
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    language = language or get_language() or "vi"
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(int(amount)):,}"
    if language.startswith("vi"):
        return f"{sign}{grouped.replace(',', '.')} ₫"
    return f"{sign}₫{grouped}"
