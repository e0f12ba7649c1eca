"""The audit trail: every source read with the same filters, newest first, merged into one list.

Each page asks each applicable source for at most `limit + 1` rows past the cursor and merges them in
Python, so that a page costs one query per source (and one per kind of edited record it names)
whatever the size of the tables. The cursor is the last entry's (at, source, id).
"""

import datetime as dt
import heapq
import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import Q
from django.utils import timezone

from .audit_sources import (
    AGREEMENT_EVENTS,
    CENTER_EVENTS,
    DESIGN_EVENTS,
    ORDER_EVENTS,
    PRODUCT_EVENTS,
    SETTLEMENT_EVENTS,
    Entry,
    Source,
)
from .audit_sources_edits import CHANGES
from .audit_sources_events import (
    CHECK_INS,
    EVENT_EVENTS,
    EVENT_PAYMENTS,
    EVENT_REFUNDS,
    HOLD_EVENTS,
    REGISTRATION_EVENTS,
    SEAT_MOVEMENTS,
    SESSION_EVENTS,
)
from .audit_sources_ledgers import (
    CERTIFICATES,
    COMMITMENTS,
    DISBURSEMENTS,
    GRANT_REVOCATIONS,
    GRANTS,
    LOGINS,
    MOVEMENTS,
    PAYMENTS,
    REFUND_APPROVALS,
    REFUNDS,
    SHIFT_CLOSES,
    SHIFTS,
)

PAGE_SIZE = 50
EXPORT_CAP = 10_000
EXPORT_CHUNK = 1_000
DEFAULT_DAYS = 30
MAX_DAYS = 366

SOURCES: tuple[Source, ...] = (
    CHANGES,
    PRODUCT_EVENTS,
    CENTER_EVENTS,
    AGREEMENT_EVENTS,
    ORDER_EVENTS,
    SETTLEMENT_EVENTS,
    DESIGN_EVENTS,
    HOLD_EVENTS,
    MOVEMENTS,
    SEAT_MOVEMENTS,
    PAYMENTS,
    REFUNDS,
    REFUND_APPROVALS,
    SHIFTS,
    SHIFT_CLOSES,
    COMMITMENTS,
    DISBURSEMENTS,
    CERTIFICATES,
    GRANTS,
    GRANT_REVOCATIONS,
    LOGINS,
    EVENT_EVENTS,
    SESSION_EVENTS,
    REGISTRATION_EVENTS,
    CHECK_INS,
    EVENT_PAYMENTS,
    EVENT_REFUNDS,
)
SOURCE_KEYS = frozenset(source.key for source in SOURCES)


@dataclass(frozen=True)
class Filters:
    """What the reader asked for. `start` is included, `end` is not; a scope keeps its rows only;
    `object_ids` and `person` are the objects and the people wanted (a name may match several)."""

    start: dt.datetime
    end: dt.datetime
    kind: str = ""
    object_type: str = ""
    object_ids: tuple[int, ...] = ()
    person: tuple[Any, ...] | None = None
    center_id: int | None = None
    producer_id: int | None = None


def day_range(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `first` to the end of `last`, in the city's time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


@dataclass(frozen=True)
class Cursor:
    at: dt.datetime
    source: str
    pk: int

    def encode(self) -> str:
        stamp = self.at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        return f"{stamp}.{self.source}.{self.pk}"

    @classmethod
    def decode(cls, text: str | None) -> "Cursor | None":
        """The cursor in a link, or None when there is none or it is not one of ours."""
        try:
            stamp, source, pk = (text or "").split(".")
            at = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S%f").replace(tzinfo=dt.UTC)
            number = int(pk)
        except ValueError:
            return None
        if source not in SOURCE_KEYS or number < 1:
            return None
        return cls(at, source, number)


def _after(source: Source, cursor: Cursor | None) -> Q:
    """The rows of `source` that come after the cursor in the order (at, source, id), descending."""
    if cursor is None:
        return Q()
    before = Q(**{f"{source.at}__lt": cursor.at})
    same = Q(**{source.at: cursor.at})
    if source.key < cursor.source:
        return before | same
    if source.key == cursor.source:
        return before | (same & Q(pk__lt=cursor.pk))
    return before


def _conditions(source: Source, filters: Filters) -> Q | None:
    """The source's conditions for the filters, or None when no row of it can match them."""
    if filters.kind and filters.kind not in source.kinds:
        return None
    where = Q(**{f"{source.at}__gte": filters.start, f"{source.at}__lt": filters.end})
    if filters.kind and source.kind_q is not None:
        where &= source.kind_q(filters.kind)
    if filters.object_type:
        by_object = source.objects.get(filters.object_type)
        if by_object is None or not filters.object_ids:
            return None
        where &= reduce(operator.or_, (by_object(pk) for pk in filters.object_ids))
    if filters.person is not None:
        by_person = source.person_q(filters.person)
        if by_person is None:
            return None
        where &= by_person
    for scope_id, by_scope in ((filters.center_id, source.center), (filters.producer_id, source.producer)):
        if scope_id is not None:
            if by_scope is None:
                return None
            where &= by_scope(scope_id)
    return where


def _read(source: Source, filters: Filters, cursor: Cursor | None, limit: int, viewer: Any) -> list[Entry]:
    where = _conditions(source, filters)
    if where is None:
        return []
    rows = list(source.rows().filter(where & _after(source, cursor)).order_by(f"-{source.at}", "-pk")[:limit])
    if rows and source.prepare is not None:
        source.prepare(rows)
    return [source.entry(row, viewer) for row in rows]


def entries(
    filters: Filters, viewer: Any, *, cursor: Cursor | None = None, limit: int = PAGE_SIZE
) -> tuple[list[Entry], Cursor | None]:
    """One page, newest first, and the cursor of the next page (None on the last one)."""
    lists = [_read(source, filters, cursor, limit + 1, viewer) for source in SOURCES]
    merged = list(heapq.merge(*lists, key=lambda entry: entry.sort_key, reverse=True))
    page = merged[:limit]
    following = None
    if len(merged) > limit:
        last = page[-1]
        following = Cursor(last.at, last.source, last.pk)
    return page, following


def export_entries(filters: Filters, viewer: Any, *, cap: int = EXPORT_CAP) -> tuple[list[Entry], bool]:
    """Up to `cap` entries, newest first, read a chunk at a time; True when the cap cut the list."""
    found: list[Entry] = []
    cursor: Cursor | None = None
    while len(found) < cap:
        page, cursor = entries(filters, viewer, cursor=cursor, limit=min(EXPORT_CHUNK, cap - len(found)))
        found.extend(page)
        if cursor is None:
            return found, False
    return found, True
