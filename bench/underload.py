"""The figures under load: the app server started as `make run` starts it, 16 clients on loopback."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .database import PROJECT_DIR, Target
from .timing import Figure, load_average

CONNECTIONS = 16


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(
    where: Target, app: str = "ocophub.wsgi", *, kept_results: bool = True
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The app server on a free port against the bench's database: `scripts/serve` when the project has
    it (for the minimal WSGI floor as well, so that both run under the same worker class, workers and
    threads), else gunicorn with `make run`'s options. With `kept_results` it keeps search results in
    the cache as the site does; without, every search is ranked and counted."""
    port = _free_port()
    env = {**os.environ, **where.env, "HTTPS": "0", "DEBUG": "0", "PORT": str(port)}
    env.pop("CATALOGUE_RESULTS_CACHE_SECONDS", None)  # the in-process figures' setting, not the site's
    if not kept_results:
        env["CATALOGUE_RESULTS_CACHE_SECONDS"] = "0"
    if not env["DATABASE_URL"]:
        env.pop("DATABASE_URL")
    serve = PROJECT_DIR / "scripts" / "serve"
    if serve.exists():
        command = [str(serve), app]  # the floor too runs under the very same server and settings
    else:
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        command = [
            gunicorn,
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            env.get("WEB_WORKERS", "2"),
            "--limit-request-line",
            "8190",
            "--forwarded-allow-ips=*",
        ]
        if app != "ocophub.wsgi":
            command += ["--chdir", str(PROJECT_DIR)]
    process = subprocess.Popen(  # noqa: S603 — our own server
        command, env=env, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/", timeout=5):  # noqa: S310 — loopback
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the app server did not start: {' '.join(command)}") from None
                time.sleep(0.3)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _workers(process: subprocess.Popen[bytes]) -> list[int]:
    """The app server's worker processes (the children of its master, which `scripts/serve` may exec)."""
    pids = _children(process.pid)
    masters = [pid for pid in pids if _children(pid)]  # a script that started the server (and maybe more)
    return _children(masters[0]) if masters else pids


def _load_figure(
    name: str, result: dict[str, Any], load: tuple[float, float, float], **target: Any
) -> Figure:
    figure = Figure(name, "load", value=result["rps"], unit="rps", load=load)
    figure.extra = {k: result[k] for k in ("rps", "p50", "p95", "p99", "errors", "generator") if k in result}
    if "min_rps" in target:
        figure.target = f"≥ {target['min_rps']:g} rps"
        figure.passed = result["rps"] >= target["min_rps"] and not result["errors"]
    if "max_p95" in target:
        figure.target = f"p95 ≤ {target['max_p95']:g} ms"
        figure.passed = result["p95"] <= target["max_p95"] and not result["errors"]
    return figure


def run(where: Target, search_paths: Sequence[str], product_path: str, duration: float) -> list[Figure]:
    from .loadgen import run_load, run_mixed

    figures: list[Figure] = []
    with server(where) as (url, process):
        for path in ("/san-pham/", product_path, "/api/v1/health", *search_paths[:2]):
            urllib.request.urlopen(f"{url}{path}", timeout=30).read()  # noqa: S310 — loopback, warm-up
        load = load_average()
        figures.append(
            _load_figure(
                "under 16: search API, results kept",
                run_load(url, CONNECTIONS, duration, paths=search_paths),
                load,
                max_p95=60,
            )
        )
        print("  under load: search", flush=True)
        for name, path, rps in (
            ("under 16: product page", product_path, 500),
            ("under 16: catalogue page", "/san-pham/", 150),
        ):
            load = load_average()
            figures.append(
                _load_figure(name, run_load(f"{url}{path}", CONNECTIONS, duration), load, min_rps=rps)
            )
            print(f"  under load: {name}", flush=True)
        load = load_average()
        _catalogue, health = run_mixed(
            url, [(["/san-pham/"], CONNECTIONS), (["/api/v1/health"], 1)], duration
        )
        figures.append(_load_figure("health while 16 load the catalogue page", health, load, max_p95=20))
        load = load_average()
        trivial = run_load(f"{url}/api/v1/health", CONNECTIONS, duration)
        rss = [_rss_mb(pid) for pid in _workers(process)]
    with server(where, kept_results=False) as (url, _process):
        for path in search_paths[:2]:
            urllib.request.urlopen(f"{url}{path}", timeout=30).read()  # noqa: S310 — loopback, warm-up
        ranked_load = load_average()
        ranked = run_load(url, CONNECTIONS, duration, paths=search_paths)
        figures.append(
            _load_figure("under 16: search API, every search ranked", ranked, ranked_load, max_p95=60)
        )
        print("  under load: search, result cache off", flush=True)
    with server(where, app="bench.minimal_wsgi:application") as (url, _process):
        urllib.request.urlopen(f"{url}/", timeout=30).read()  # noqa: S310 — loopback, warm-up
        minimal = run_load(f"{url}/", CONNECTIONS, duration)
    figure = Figure(
        "trivial JSON /api/v1/health vs minimal WSGI",
        "ratio",
        app_ms=trivial["p50"],
        limit_ms=minimal["p50"],
        ratio=trivial["rps"] / minimal["rps"] if minimal["rps"] else None,
        load=load,
        target="rps ≥ 0.6 × minimal WSGI",
        unit="rps",
        check="same body",
    )
    figure.passed = figure.ratio is not None and figure.ratio >= 0.6 and not trivial["errors"]
    figure.extra = {
        "app_rps": trivial["rps"],
        "minimal_rps": minimal["rps"],
        "app": trivial,
        "minimal": minimal,
    }
    figures.append(figure)
    print("  under load: trivial JSON", flush=True)
    worst = max(rss) if rss else None
    memory = Figure("RSS per app worker", "memory", value=worst, unit="MB", load=load_average())
    memory.target = "≤ 150 MB"
    memory.passed = worst is not None and worst <= 150
    memory.extra = {"workers_mb": [round(mb, 1) for mb in rss]}
    figures.append(memory)
    return figures
