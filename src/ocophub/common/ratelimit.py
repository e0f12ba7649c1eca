"""Rate limits kept in the database, so that every app server counts the same hits.

A limit is "at most `count` hits in `seconds`", counted over a sliding window approximated from two
fixed ones: the hits of the current window plus the previous window's hits weighted by how much of it
the sliding window still covers. One row per (scope, key, window) holds the count, bumped by a
conditional UPDATE (or created once, the unique constraint settling a race between two servers).
"""

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import RateCounter


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    seconds: int

    @classmethod
    def from_setting(cls, scope: str, name: str) -> "Limit":
        """A limit from a setting written as "5/3600" (hits per seconds)."""
        count, seconds = str(getattr(settings, name)).split("/")
        return cls(scope=scope, count=int(count), seconds=int(seconds))


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        self.retry_after = max(1, int(retry_after))
        minutes = max(1, math.ceil(self.retry_after / 60))
        super().__init__(
            message
            or _("Too many attempts from here. Try again in %(minutes)s minutes.") % {"minutes": minutes}
        )


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES reverse proxies the address the
    outermost of them saw, read from the right of X-Forwarded-For (so a client cannot forge it).
    None when it is not an IP address."""
    raw = request.META.get("REMOTE_ADDR") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0))
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            raw = hops[-proxies]
    try:
        return str(ipaddress.ip_address(str(raw).strip()))
    except ValueError:
        return None


def address_key(request: HttpRequest) -> str:
    """The key a client address is counted under (clients without one share a key)."""
    return client_address(request) or "unknown"


def _window(limit: Limit, now: dt.datetime) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % limit.seconds, tz=dt.UTC)


def _weighted(limit: Limit, key: str, now: dt.datetime) -> tuple[float, dt.datetime]:
    current = _window(limit, now)
    previous = current - dt.timedelta(seconds=limit.seconds)
    counts = dict(
        RateCounter.objects.filter(scope=limit.scope, key=key, window__in=[current, previous]).values_list(
            "window", "hits"
        )
    )
    covered = 1 - (now - current).total_seconds() / limit.seconds
    return counts.get(current, 0) + counts.get(previous, 0) * covered, current


def _retry_after(limit: Limit, now: dt.datetime, current: dt.datetime) -> int:
    return int((current + dt.timedelta(seconds=limit.seconds) - now).total_seconds()) + 1


def check(limit: Limit, key: str, *, now: dt.datetime | None = None) -> None:
    """Refuse with RateLimited when `key` has used up `limit`; records nothing."""
    now = now or timezone.now()
    used, current = _weighted(limit, key, now)
    if used >= limit.count:
        raise RateLimited(_retry_after(limit, now, current))


def hit(limit: Limit, key: str, *, now: dt.datetime | None = None) -> None:
    """Count one hit for `key`."""
    now = now or timezone.now()
    window = _window(limit, now)
    rows = RateCounter.objects.filter(scope=limit.scope, key=key[:254], window=window)
    if rows.update(hits=F("hits") + 1):
        return
    try:
        with transaction.atomic():
            RateCounter.objects.create(scope=limit.scope, key=key[:254], window=window, hits=1)
    except IntegrityError:  # another server created the row first
        rows.update(hits=F("hits") + 1)


def take(limit: Limit, key: str, *, now: dt.datetime | None = None) -> None:
    """Refuse when the limit is used up, else count this hit."""
    now = now or timezone.now()
    check(limit, key, now=now)
    hit(limit, key, now=now)


def take_in_transaction(limit: Limit, key: str, *, now: dt.datetime | None = None) -> None:
    """`take` in one statement, for a caller inside a transaction that a refusal rolls back: the hit is
    counted first (an upsert that also reads the previous window), then refused when the hits before it
    had used the limit up — the same decision as `take`, and the refused hit is undone with the rest."""
    if not connection.in_atomic_block:
        raise RuntimeError("take_in_transaction needs a transaction that a refusal rolls back")
    now = now or timezone.now()
    current = _window(limit, now)
    previous = current - dt.timedelta(seconds=limit.seconds)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    scope_, key_, window_, hits_ = (connection.ops.quote_name(c) for c in ("scope", "key", "window", "hits"))
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"INSERT INTO {table} ({scope_}, {key_}, {window_}, {hits_}) VALUES (%s, %s, %s, 1) "  # noqa: S608 (names quoted from the model, values bound)
        f"ON CONFLICT ({scope_}, {key_}, {window_}) DO UPDATE SET {hits_} = {table}.{hits_} + 1 "
        f"RETURNING {hits_}, (SELECT p.{hits_} FROM {table} p "
        f"WHERE p.{scope_} = %s AND p.{key_} = %s AND p.{window_} = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit.scope, key[:254], adapt(current), limit.scope, key[:254], adapt(previous)])
        hits, before = cursor.fetchone()
    covered = 1 - (now - current).total_seconds() / limit.seconds
    if (hits - 1) + (before or 0) * covered >= limit.count:
        raise RateLimited(_retry_after(limit, now, current))


def purge(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Drop counters of windows long past (the daily job calls this)."""
    deleted, _rows = RateCounter.objects.filter(window__lt=timezone.now() - older_than).delete()
    return deleted
