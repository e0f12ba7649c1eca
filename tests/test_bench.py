"""`make bench` end to end on a tiny generated database: the table and results.json come out, and every
limit returned the app's rows (not a timing test: no figure's value is judged here)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bench.timing import SameRowsError, same_rows

ROOT = Path(__file__).resolve().parent.parent


def test_a_limit_with_other_rows_stops_the_bench():
    assert same_rows("x", [3, 1, 2], [3, 1, 2]) == "same 3 rows"
    with pytest.raises(SameRowsError, match="does not return the app's rows"):
        same_rows("x", [3, 1, 2], [1, 2, 3])


def test_the_bench_runs_end_to_end_on_a_tiny_database(tmp_path):
    results = tmp_path / "results.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # with DATABASE_URL=…/name the bench makes and uses name_bench, beside the suite's databases
    tiny = ["--products", "400", "--producers", "20", "--centers", "3", "--sale-lines", "600", "--days", "60"]
    command = [sys.executable, "-m", "bench", *tiny, "--repeat", "2", "--load-seconds", "0.3"]
    command += ["--var-dir", str(tmp_path / "var"), "--results", str(results)]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "targets met" in done.stdout and "search API q=gom su" in done.stdout

    data = json.loads(results.read_text())
    figures = {f["name"]: f for f in data["figures"]}
    assert data["about"]["scale"]["sale_lines"] == 600
    for name in (
        "catalogue page /san-pham/",
        "product page /san-pham/<slug>/",
        "plan dashboard /ke-hoach/",
        "search API q=khamtrai",
    ):
        assert figures[name]["check"].startswith("same "), figures[name]
        assert figures[name]["limit_ms"] > 0
    monthly = next(f for f in data["figures"] if f["name"].startswith("monthly sales by unit"))
    assert monthly["check"].startswith("same ") and monthly["extra"]["sale_lines"] > 0
    assert figures["counter sale POST /api/v1/sales"]["value"] > 0
    assert figures["under 16: catalogue page"]["extra"]["rps"] > 0
    assert figures["RSS per app worker"]["value"] > 0
    assert all(f["load"] for f in data["figures"])
    assert (tmp_path / "var" / "generated.json").exists()
