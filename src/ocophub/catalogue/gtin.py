"""GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) check digits."""


def gtin_check_digit(body: str) -> int:
    """The check digit for the digits before it (GS1: weights 3 and 1 from the right)."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def gtin_is_valid(code: str) -> bool:
    return code.isdigit() and len(code) in (8, 12, 13, 14) and gtin_check_digit(code[:-1]) == int(code[-1])
