"""Vietnamese phone numbers, stored as +84 followed by the national number."""

import re

_DIGITS = re.compile(r"\D+")


def normalize_phone(value: str | None) -> str | None:
    """'0912 345 678', '+84912345678' and '84912345678' all become '+84912345678'.

    Returns None for anything that is not a Vietnamese mobile or landline number (9–10 national digits).
    """
    if not value:
        return None
    digits = _DIGITS.sub("", value)
    if digits.startswith("84"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    if not 9 <= len(digits) <= 10 or digits.startswith("0"):
        return None
    return f"+84{digits}"


def looks_like_phone(value: str) -> bool:
    return "@" not in value and normalize_phone(value) is not None
