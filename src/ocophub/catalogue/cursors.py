"""Keyset cursors for product lists: the order fields of the last row shown, signed.

A cursor is good only for the list it came from (the same filters, query and order): it carries a
digest of them. One that was altered, or used with other filters, is refused with a clear 400.
"""

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from ocophub.common.errors import DomainError

from .selectors import Filters

SALT = "ocophub.catalogue.cursor"


def _digest(filters: Filters) -> str:
    state = json.dumps(dataclasses.asdict(filters), sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"t"} and isinstance(value["t"], str):
        return dt.datetime.fromisoformat(value["t"])
    if value is None or isinstance(value, (int, str)) and not isinstance(value, bool):
        return value
    raise ValueError(value)


def make(filters: Filters, values: list[Any]) -> str:
    return signing.dumps(
        {"f": _digest(filters), "v": [_plain(value) for value in values]}, salt=SALT, compress=True
    )


def read(cursor: str, filters: Filters, width: int) -> list[Any]:
    """The order fields a cursor holds, checked against the list it is used with."""
    refused = DomainError(
        _("This cursor is not valid for this list: start again from the first page."),
        fields={"cursor": _("Invalid or altered cursor.")},
        code="invalid_cursor",
    )
    try:
        payload = signing.loads(cursor, salt=SALT)
        values = [_typed(value) for value in payload["v"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise refused from None
    if payload.get("f") != _digest(filters) or len(values) != width:
        raise refused
    return values
