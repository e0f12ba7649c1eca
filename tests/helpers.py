"""Test helpers shared across apps."""

import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(call: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured.captured_queries), result


def _json_count(response: Any) -> int | None:
    if "json" not in response.get("Content-Type", ""):
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    count = body.get("count") if isinstance(body, dict) else None
    return count if isinstance(count, int) else None


def assert_fixed_queries(
    call: Callable[[], Any],
    grow: Callable[[int], Any],
    *,
    steps: tuple[int, int] = (3, 15),
    status: int = 200,
) -> int:
    """Assert that `call` runs the same number of queries whatever the number of rows.

    `grow(n)` adds n more rows of what the view lists; `call()` renders the list and returns the
    response. Each response must have `status` (a list that turned into an error page runs few
    queries too), and a JSON list's `count` must grow with the rows. Returns the query count.
    """
    counts = []
    listed = []
    for extra in steps:
        grow(extra)
        queries, response = count_queries(call)
        assert response.status_code == status, (
            f"expected {status}, got {response.status_code}: {response.content[:300]!r}"
        )
        counts.append(queries)
        listed.append(_json_count(response))
    assert len(set(counts)) == 1, f"query count grew with the rows: {counts}"
    if None not in listed:
        assert listed[0] < listed[1], f"the list did not grow with the rows: counts {listed}"
    return counts[0]
