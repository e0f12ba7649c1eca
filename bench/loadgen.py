"""A small HTTP load generator: N connections in one asyncio loop, each sending one request after another.

Every request opens its connection (`Connection: close`): the app server's sync workers answer one
request per connection anyway. Latency is measured from connecting to the last byte of the answer.
"""

import asyncio
import statistics
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit


def _percentile(samples: list[float], share: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _client(host: str, port: int, paths: Sequence[str], deadline: float, out: dict[str, Any]) -> None:
    turn = 0
    while time.perf_counter() < deadline:
        path = paths[turn % len(paths)]
        turn += 1
        started = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            answer = await reader.read()
            writer.close()
            status = int(answer[9:12]) if answer.startswith(b"HTTP/1.") else 0
        except (OSError, ValueError):
            status = 0
        elapsed = time.perf_counter() - started
        if 200 <= status < 400:
            out["latencies"].append(elapsed)
        else:
            out["errors"] += 1


async def load(url: str, paths: Sequence[str], connections: int, duration_s: float) -> dict[str, Any]:
    """Load `paths` of the server at `url` from `connections` clients for `duration_s` seconds."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    out: dict[str, Any] = {"latencies": [], "errors": 0}
    started = time.perf_counter()
    deadline = started + duration_s
    await asyncio.gather(*(_client(host, port, paths, deadline, out) for _ in range(connections)))
    took = time.perf_counter() - started
    latencies = out["latencies"]
    return {
        "rps": len(latencies) / took,
        "p50": _percentile(latencies, 0.50) * 1000,
        "p95": _percentile(latencies, 0.95) * 1000,
        "p99": _percentile(latencies, 0.99) * 1000,
        "mean": (statistics.fmean(latencies) * 1000) if latencies else float("nan"),
        "requests": len(latencies),
        "errors": out["errors"],
    }


def run_load(url: str, connections: int, duration_s: float, paths: Sequence[str] = ("/",)) -> dict[str, Any]:
    """`connections` clients on `url` (its path, or each of `paths` in turn) for `duration_s` seconds:
    rps and p50/p95/p99 in ms, and the errors (non-2xx/3xx answers and failed connections)."""
    path = urlsplit(url).path
    if path and path != "/" and tuple(paths) == ("/",):
        query = urlsplit(url).query
        paths = [f"{path}?{query}" if query else path]
    return asyncio.run(load(url, paths, connections, duration_s))


def run_mixed(
    url: str, groups: Sequence[tuple[Sequence[str], int]], duration_s: float
) -> list[dict[str, Any]]:
    """Several loads at once, e.g. 16 clients on the catalogue page and one on /api/v1/health."""

    async def together() -> list[dict[str, Any]]:
        return list(await asyncio.gather(*(load(url, paths, n, duration_s) for paths, n in groups)))

    return asyncio.run(together())
