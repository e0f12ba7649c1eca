"""The load generator: `wrk` when it is installed (`make bench` installs Debian's on a root Debian
machine), else a small one of our own in Python.

wrk is C: its cost beside the app server on the same two cores is a fraction of the Python one's, so
the figures under load say what the server can do rather than what the generator leaves it. It keeps
its connections alive (as browsers do); each path of a figure is requested in turn (a Lua script), and
the answer's latency percentiles come from wrk's own histogram.

The Python generator: N connections in one asyncio loop, each sending one request after another, each
on its own connection (`Connection: close`). Latency is measured from connecting to the last byte of
the answer.
"""

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import tempfile
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


WRK_SCRIPT = """
local paths = {%(paths)s}
local turn = 0
request = function()
  turn = turn + 1
  return wrk.format("GET", paths[(turn %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %%d, "duration_us": %%d, "errors": %%d, ' ..
    '"p50": %%f, "p95": %%f, "p99": %%f, "mean": %%f}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000))
end
"""


def _run(work: Any) -> Any:
    """asyncio.run in a thread of its own, so that it works from a thread whose loop is running (a
    caller inside another asyncio program, or a test process that drove a browser)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


def generator() -> str:
    """Which load generator the figures under load use ("wrk" or "python"); BENCH_LOADGEN=python
    forces ours."""
    if os.environ.get("BENCH_LOADGEN", "") != "python" and shutil.which("wrk"):
        return "wrk"
    return "python"


def _lua_string(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrk_start(url: str, paths: Sequence[str], connections: int, duration_s: float) -> tuple[Any, str]:
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115 — removed below
    with script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(_lua_string(p) for p in paths)})
    threads = max(1, min(2, connections))
    command = [
        shutil.which("wrk") or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration_s))}s",
        "--timeout",
        "20s",
        "-s",
        script.name,
        url,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603
    return process, script.name


def _wrk_result(process: Any, script: str) -> dict[str, Any]:
    output, _ = process.communicate()
    os.unlink(script)
    line = next((x for x in output.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result: {output.strip()}")
    raw = json.loads(line[4:])
    took = raw["duration_us"] / 1e6
    answered = raw["requests"] - raw["errors"]
    return {
        "rps": answered / took if took else 0.0,
        "p50": raw["p50"],
        "p95": raw["p95"],
        "p99": raw["p99"],
        "mean": raw["mean"],
        "requests": answered,
        "errors": raw["errors"],
        "generator": "wrk",
    }


def _paths_of(url: str, paths: Sequence[str]) -> list[str]:
    path = urlsplit(url).path
    if path and path != "/" and tuple(paths) == ("/",):
        query = urlsplit(url).query
        return [f"{path}?{query}" if query else path]
    return list(paths)


def _root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def run_load(url: str, connections: int, duration_s: float, paths: Sequence[str] = ("/",)) -> dict[str, Any]:
    """`connections` clients on `url` (its path, or each of `paths` in turn) for `duration_s` seconds:
    rps and p50/p95/p99 in ms, and the errors (non-2xx/3xx answers and failed connections)."""
    paths = _paths_of(url, paths)
    if generator() == "wrk":
        return _wrk_result(*_wrk_start(_root(url), paths, connections, duration_s))
    return {**_run(load(url, paths, connections, duration_s)), "generator": "python"}


def run_mixed(
    url: str, groups: Sequence[tuple[Sequence[str], int]], duration_s: float
) -> list[dict[str, Any]]:
    """Several loads at once, e.g. 16 clients on the catalogue page and one on /api/v1/health."""
    if generator() == "wrk":
        started = [_wrk_start(_root(url), paths, n, duration_s) for paths, n in groups]
        return [_wrk_result(*one) for one in started]

    async def together() -> list[dict[str, Any]]:
        return list(await asyncio.gather(*(load(url, paths, n, duration_s) for paths, n in groups)))

    return [{**one, "generator": "python"} for one in _run(together())]
