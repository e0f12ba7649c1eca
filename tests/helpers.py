"""Test helpers shared across apps."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(call: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured.captured_queries), result


def assert_fixed_queries(
    call: Callable[[], Any], grow: Callable[[int], Any], *, steps: tuple[int, int] = (3, 15)
) -> int:
    """Assert that `call` runs the same number of queries whatever the number of rows.

    `grow(n)` adds n more rows of what the view lists; `call()` renders the list (and should
    return the response, so that a failure shows what came back). Returns the query count.
    """
    counts = []
    for extra in steps:
        grow(extra)
        queries, _response = count_queries(call)
        counts.append(queries)
    assert len(set(counts)) == 1, f"query count grew with the rows: {counts}"
    return counts[0]
