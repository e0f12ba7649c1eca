"""A small HTTP load generator: keep-alive connections, each in its own thread, for a fixed time.

`run_load(url, connections, duration_s)` returns requests per second, latency percentiles in
milliseconds and the number of errors (a status of 400 or more, or a broken connection). Several loads
run at once with `run_together`, e.g. clients of a slow page beside clients of the health check.

    python -m bench.load http://127.0.0.1:8000/api/v1/health --connections 8 --duration 10
"""

import argparse
import http.client
import json
import threading
import time
import urllib.parse
from typing import Any


def _percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _connect(parts: urllib.parse.SplitResult) -> http.client.HTTPConnection:
    host = parts.hostname or "127.0.0.1"
    if parts.scheme == "https":
        return http.client.HTTPSConnection(host, parts.port or 443, timeout=60)
    return http.client.HTTPConnection(host, parts.port or 80, timeout=60)


class _Load:
    def __init__(self, url: str) -> None:
        self.parts = urllib.parse.urlsplit(url)
        self.target = (self.parts.path or "/") + (f"?{self.parts.query}" if self.parts.query else "")
        self.latencies: list[float] = []
        self.errors = 0
        self.lock = threading.Lock()

    def client(self, start: threading.Barrier, window: dict[str, float]) -> None:
        headers = {"Host": self.parts.netloc, "Accept": "application/json, text/html"}
        connection = _connect(self.parts)
        mine: list[float] = []
        failed = 0
        start.wait()  # every client is ready; the window opens now
        deadline = window["until"]
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                connection.request("GET", self.target, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    failed += 1
                if response.will_close:
                    connection.close()
                    connection = _connect(self.parts)
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = _connect(self.parts)
                continue
            mine.append((time.perf_counter() - began) * 1000)
        connection.close()
        with self.lock:
            self.latencies.extend(mine)
            self.errors += failed

    def summary(self, elapsed: float) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        return {
            "rps": round(len(ordered) / elapsed, 1),
            "p50": round(_percentile(ordered, 0.50), 2),
            "p95": round(_percentile(ordered, 0.95), 2),
            "p99": round(_percentile(ordered, 0.99), 2),
            "errors": self.errors,
            "requests": len(ordered),
        }


def run_together(loads: list[tuple[str, int]], duration_s: float) -> list[dict[str, Any]]:
    """Run every (url, connections) load at once for `duration_s` seconds: one summary per load."""
    runs = [(_Load(url), connections) for url, connections in loads]
    start = threading.Barrier(sum(connections for _url, connections in loads) + 1)
    window: dict[str, float] = {}
    threads = [
        threading.Thread(target=load.client, args=(start, window), daemon=True)
        for load, connections in runs
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    window["until"] = began + duration_s
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return [load.summary(elapsed) for load, _connections in runs]


def run_load(url: str, connections: int, duration_s: float) -> dict[str, Any]:
    """GET `url` over `connections` keep-alive connections for `duration_s` seconds.

    Returns rps, p50, p95 and p99 (milliseconds), errors and requests."""
    return run_together([(url, connections)], duration_s)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    print(json.dumps(run_load(args.url, args.connections, args.duration)))


if __name__ == "__main__":
    main()
