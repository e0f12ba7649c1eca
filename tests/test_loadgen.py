"""The bench's load generators (wrk, and our own in Python) against a small local server: each path
of a figure is requested in turn, answers are counted, and failed answers are errors."""

import shutil
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bench import loadgen


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: Counter = Counter()

    def do_GET(self):  # noqa: N802 — the standard library's name
        _Handler.hits[self.path] += 1
        status = 500 if self.path.startswith("/bad") else 200
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Handler.hits = Counter()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


GENERATORS = ["python"] + (["wrk"] if shutil.which("wrk") else [])


@pytest.mark.parametrize("which", GENERATORS)
def test_every_path_is_loaded_in_turn_and_counted(server, monkeypatch, which):
    monkeypatch.setenv("BENCH_LOADGEN", which)
    result = loadgen.run_load(server, 2, 1, paths=["/a?q=g%E1%BB%91m", "/b"])
    assert result["generator"] == which
    assert result["errors"] == 0 and result["requests"] > 0 and result["rps"] > 0
    assert _Handler.hits["/a?q=g%E1%BB%91m"] > 0 and _Handler.hits["/b"] > 0
    assert 0 < result["p50"] <= result["p95"] <= result["p99"]


@pytest.mark.parametrize("which", GENERATORS)
def test_failed_answers_are_errors_not_throughput(server, monkeypatch, which):
    monkeypatch.setenv("BENCH_LOADGEN", which)
    good, bad = loadgen.run_mixed(server, [(["/ok"], 1), (["/bad"], 1)], 1)
    assert good["errors"] == 0 and good["requests"] > 0
    assert bad["errors"] > 0 and bad["requests"] == 0


def test_wrk_is_used_when_installed(monkeypatch):
    monkeypatch.delenv("BENCH_LOADGEN", raising=False)
    assert loadgen.generator() == ("wrk" if shutil.which("wrk") else "python")
    monkeypatch.setenv("BENCH_LOADGEN", "python")
    assert loadgen.generator() == "python"


def test_the_python_generator_runs_from_a_thread_whose_loop_is_running(server, monkeypatch):
    import asyncio

    monkeypatch.setenv("BENCH_LOADGEN", "python")
    found: dict = {}

    async def inside() -> None:
        found["result"] = loadgen.run_load(server, 1, 1, paths=["/ok"])

    # a thread of its own, whose loop is running when the generator is called (the test process's own
    # thread may hold a loop already, a browser test's)
    thread = threading.Thread(target=lambda: asyncio.run(inside()))
    thread.start()
    thread.join(30)
    assert found["result"]["requests"] > 0
