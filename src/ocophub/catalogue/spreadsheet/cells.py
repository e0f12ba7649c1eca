"""Reading one cell of the city's lists: text, numbers, dates, choices, in Vietnamese errors."""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from ocophub.common.text import fold

from .layout import (
    ADDRESS,
    COLUMNS,
    DATE,
    DATE_PATTERN,
    DECISION,
    HEADER_ALIASES,
    KIND,
    KIND_VI,
    KIND_WORDS,
    KINDS,
    LEVEL,
    LEVEL_VI,
    LEVELS,
    PRICE,
    PRODUCER,
    PRODUCT,
    REGISTRATION,
    SCORE,
    STARS,
    WHOLE_NUMBER,
)


class CellError(ValueError):
    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def header_key(value: Any) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", re.sub(r"\(.*?\)", " ", fold(cell_text(value)))))


HEADERS = {**{header_key(title): title for title in COLUMNS}, **HEADER_ALIASES}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _registration(value: Any) -> str | None:
    if _is_number(value) and float(value).is_integer():
        digits = str(int(value))
        return digits.zfill(10) if len(digits) == 9 else digits  # Excel drops a tax number's leading zero
    text = cell_text(value).replace(" ", "")
    if len(text) > 30:
        raise CellError("Mã số thuế/Số đăng ký dài quá 30 ký tự")
    return text or None


def _choice(value: Any, choices: dict[str, str], labels: Iterable[str], what: str) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    try:
        return choices[fold(text).replace(".", "")]
    except KeyError:
        raise CellError(f"{what} không hợp lệ: «{text}» ({', '.join(labels)})") from None


def _kind(value: Any) -> str | None:
    return _choice(value, KINDS, KIND_VI.values(), "Loại chủ thể")


def _level(value: Any) -> str | None:
    return _choice(value, LEVELS, LEVEL_VI.values(), "Cấp quyết định")


def kind_from_name(name: str) -> str | None:
    folded = fold(name)
    return next((kind for word, kind in KIND_WORDS.items() if folded.startswith(word + " ")), None)


def _stars(value: Any) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d+)\s*(?:sao|\*|★)?", fold(text))
    if match is None or not 3 <= int(match.group(1)) <= 5:
        raise CellError("Hạng sao phải từ 3 đến 5")
    return int(match.group(1))


def _score(value: Any) -> Decimal | None:
    text = cell_text(value)
    if not text:
        return None
    try:
        score = Decimal(text if _is_number(value) else text.replace(",", "."))
    except InvalidOperation:
        score = Decimal(-1)
    if not score.is_finite() or not 0 <= score <= 100:
        raise CellError("Điểm phải là số từ 0 đến 100")
    return score.quantize(Decimal("0.01"))


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    match = DATE_PATTERN.fullmatch(text) if isinstance(value, str) else None
    try:
        if match is None:
            raise ValueError(text)
        return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        raise CellError("Ngày quyết định không hợp lệ (dd/mm/yyyy)") from None


def _price(value: Any) -> int | None:
    if _is_number(value):
        if value >= 0 and float(value).is_integer():
            return int(value)
        raise CellError("Giá phải là số nguyên không âm")
    text = re.sub(r"\s|₫|(?:vnd|dong|d)$", "", fold(cell_text(value)))
    if not text:
        return None
    if not WHOLE_NUMBER.fullmatch(text):
        raise CellError("Giá phải là số nguyên không âm")
    return int(text.replace(".", "").replace(",", ""))


def _limited(length: int, label: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = cell_text(value)
        if len(text) > length:
            raise CellError(f"{label} dài quá {length} ký tự")
        return text

    return parse


PARSERS: dict[str, Callable[[Any], Any]] = {
    PRODUCT: _limited(200, "Tên sản phẩm"),
    PRODUCER: _limited(200, "Tên chủ thể"),
    REGISTRATION: _registration,
    KIND: _kind,
    ADDRESS: _limited(300, "Địa chỉ"),
    STARS: _stars,
    SCORE: _score,
    DECISION: _limited(60, "Số quyết định"),
    DATE: _date,
    LEVEL: _level,
    PRICE: _price,
}


# --- reference lookups ----------------------------------------------------------------------
