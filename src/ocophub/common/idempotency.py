"""`Idempotency-Key` for POSTs that create an order, a sale or a booking.

The same key with the same body answers 200 with the first result's body; the same key with another
body is 422. The work and the record of its answer commit together, so a retry racing the first
request either finds the record or loses the unique constraint and then finds it. Either way it is a
replay: the retry that did the work again only to lose on commit made nothing, and answers 200 like
any other replay, never the first request's 201.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import IdempotencyRecord

MAX_KEY_LENGTH = 200


def body_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


REPLAY_STATUS = 200


def _replay(record: IdempotencyRecord, digest: str) -> tuple[int, Any]:
    if record.body_hash != digest:
        raise DomainError(
            _("This Idempotency-Key was already used with another request."),
            fields={"Idempotency-Key": _("Used with another body.")},
            code="idempotency_key_reused",
        )
    return REPLAY_STATUS, record.response


def run_once(scope: str, key: str | None, body: Any, work: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """Run `work` (returning status and JSON answer) once per (scope, key).

    The call whose work commits answers with the status `work` gave; every other call with that key
    and body answers 200 with the same JSON answer."""
    if not key:
        return work()
    if len(key) > MAX_KEY_LENGTH:
        raise DomainError(
            _("The Idempotency-Key is too long."),
            fields={"Idempotency-Key": _("At most %(n)s characters.") % {"n": MAX_KEY_LENGTH}},
        )
    digest = body_hash(body)
    record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
    if record is not None:
        return _replay(record, digest)
    try:
        with transaction.atomic():
            status, answer = work()
            IdempotencyRecord.objects.create(
                scope=scope, key=key, body_hash=digest, status=status, response=answer
            )
    except IntegrityError:
        record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if record is None:
            raise
        return _replay(record, digest)
    return status, answer
