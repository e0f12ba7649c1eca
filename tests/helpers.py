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


def form_values(html: str, form_id: str | None = None) -> dict[str, Any]:
    """What a browser would submit from the page's form (the first, or the one with `form_id`):
    inputs, checked boxes, selected options and text areas; a list where a name repeats."""
    from html.parser import HTMLParser

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.values: dict[str, Any] = {}
            self.inside = form_id is None
            self.select: str | None = None
            self.textarea: str | None = None
            self.multiple = False

        def add(self, name: str, value: str) -> None:
            if name in self.values and self.multiple:
                current = self.values[name]
                self.values[name] = [*current, value] if isinstance(current, list) else [current, value]
            else:
                self.values[name] = value

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            attr = {key: value or "" for key, value in attrs}
            if tag == "form" and form_id is not None:
                self.inside = attr.get("id") == form_id
            if not self.inside:
                return
            name = attr.get("name")
            if tag == "input" and name and attr.get("type") not in ("submit", "button", "file"):
                if attr.get("type") in ("checkbox", "radio") and "checked" not in attr:
                    return
                self.multiple = attr.get("type") == "checkbox"
                default = "on" if attr.get("type") in ("checkbox", "radio") else ""
                self.add(name, attr.get("value", default))
            elif tag == "select" and name:
                self.select, self.multiple = name, "multiple" in attr
                if not self.multiple:
                    self.values.setdefault(name, "")
            elif tag == "option" and self.select and "selected" in attr:
                self.add(self.select, attr.get("value", ""))
            elif tag == "textarea" and name:
                self.textarea = name
                self.values[name] = ""

        def handle_endtag(self, tag: str) -> None:
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None
            elif tag == "form" and form_id is not None:
                self.inside = False

        def handle_data(self, data: str) -> None:
            if self.textarea:
                # a text area's content starts after the newline Django puts there
                self.values[self.textarea] += (
                    data.removeprefix("\n") if not self.values[self.textarea] else data
                )

    collector = Collector()
    collector.feed(html)
    return collector.values
