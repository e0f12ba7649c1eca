"""Interleaved A/B timing: the app's path and its limit, A B A B …, the median of each."""

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class SameRowsError(AssertionError):
    """The limit does not return what the app returns: the ratio would compare two different queries."""


@dataclass
class Figure:
    name: str
    kind: str  # "ratio" (A against its limit), "absolute" (A alone), "queries", "load", "memory"
    app_ms: float | None = None
    limit_ms: float | None = None
    ratio: float | None = None
    value: float | None = None
    unit: str = "ms"
    target: str = ""
    passed: bool | None = None
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rows: int | None = None
    check: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


BUDGET_S = 20.0  # per figure: slow paths run fewer times (never fewer than MIN_RUNS)
MIN_RUNS = 5


def runs_within(seconds_per_run: float, repeat: int) -> int:
    return max(MIN_RUNS, min(repeat, int(BUDGET_S / max(seconds_per_run, 1e-6))))


def interleaved(app: Callable[[], Any], limit: Callable[[], Any], repeat: int) -> tuple[float, float, int]:
    """Medians in seconds of `app` and `limit`, alternating A B B A …, after one warm-up each; `repeat`
    runs a side, fewer when a pair takes long (the number of runs is returned)."""
    started = time.perf_counter()
    app()
    limit()
    repeat = runs_within(time.perf_counter() - started, repeat)
    a, b = [], []
    for turn in range(repeat):
        first, second = (app, limit) if turn % 2 == 0 else (limit, app)
        for call in (first, second):
            started = time.perf_counter()
            call()
            (a if call is app else b).append(time.perf_counter() - started)
    return statistics.median(a), statistics.median(b), repeat


def alone(call: Callable[[], Any], repeat: int) -> float:
    started = time.perf_counter()
    call()
    samples = []
    for _ in range(runs_within(time.perf_counter() - started, repeat)):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def same_rows(name: str, app_rows: list[Any], limit_rows: list[Any]) -> str:
    """Fail loudly unless both return the same rows in the same order."""
    if list(app_rows) != list(limit_rows):
        raise SameRowsError(
            f"{name}: the limit does not return the app's rows.\n  app:   {list(app_rows)[:12]}"
            f"{' …' if len(app_rows) > 12 else ''} ({len(app_rows)})\n  limit: {list(limit_rows)[:12]}"
            f"{' …' if len(limit_rows) > 12 else ''} ({len(limit_rows)})"
        )
    return f"same {len(app_rows)} rows"


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()
