"""The bench's own database, generated once at the bench's scale and reused while its parameters stay.

SQLite: `var/bench/ocophub.sqlite3` (the bench's var directory also holds its cache and secret key, so
nothing is shared with the site's `var/`). PostgreSQL (`DATABASE_URL=postgres://…/name`): the database
`name_bench` on the same server, created when missing, with its var directory `var/bench-pg-name_bench`.
The parameters it was made with are kept in `generated.json` beside it; other parameters, or
`--regenerate`, drop it and make it again.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
MARKER = "generated.json"
MARKER_VERSION = 1  # bump when the generators change what they make


@dataclass(frozen=True)
class Scale:
    products: int = 100_000
    producers: int = 4_000
    centers: int = 200
    sale_lines: int = 1_000_000
    days: int = 730
    seed: int = 276


@dataclass(frozen=True)
class Target:
    """Where the bench's database is: the environment the app is started with, and how to describe it."""

    env: dict[str, str]
    var_dir: Path
    vendor: str
    label: str
    pg_name: str = ""
    pg_admin_url: str = ""


def target(var_dir: Path | None = None) -> Target:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'ocophub'}_bench"
        bench_url = urlunsplit(parts._replace(path=f"/{name}"))
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        folder = var_dir or PROJECT_DIR / "var" / f"bench-pg-{name}"
        host = parts.hostname or "localhost"
        return Target(
            {"DATABASE_URL": bench_url, "OCOPHUB_VAR_DIR": str(folder)},
            folder,
            "postgresql",
            f"PostgreSQL {host}/{name}",
            name,
            admin_url,
        )
    if url:
        raise SystemExit(f"The bench runs on SQLite or PostgreSQL, not on {url.split(':', 1)[0]}.")
    folder = var_dir or PROJECT_DIR / "var" / "bench"
    return Target({"DATABASE_URL": "", "OCOPHUB_VAR_DIR": str(folder)}, folder, "sqlite", f"SQLite {folder}")


def _pg_exists(where: Target) -> bool:
    import psycopg

    with psycopg.connect(where.pg_admin_url, autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [where.pg_name]).fetchone()
            is not None
        )


def _pg_recreate(where: Target) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(where.pg_admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(where.pg_name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(where.pg_name)))


def _wanted(scale: Scale, where: Target) -> dict[str, Any]:
    return {"version": MARKER_VERSION, "vendor": where.vendor, **asdict(scale)}


def _made(where: Target) -> dict[str, Any] | None:
    try:
        return json.loads((where.var_dir / MARKER).read_text())
    except (OSError, ValueError):
        return None


def _ocophub(where: Target, *args: str) -> None:
    env = {**os.environ, **where.env, "HTTPS": "0", "DEBUG": "0"}
    if not env["DATABASE_URL"]:
        env.pop("DATABASE_URL")
    command = [str(Path(sys.executable).with_name("ocophub")), *args]
    subprocess.run(command, env=env, check=True)  # noqa: S603 — our own command


def ensure(scale: Scale, where: Target, regenerate: bool = False) -> float | None:
    """Make the bench's database unless one made with the same parameters is there.

    Returns the seconds generation took, or None when the database was reused."""
    made = _made(where)
    exists = (
        _pg_exists(where) if where.vendor == "postgresql" else (where.var_dir / "ocophub.sqlite3").exists()
    )
    wanted = _wanted(scale, where)
    if exists and made is not None and made.get("params") == wanted and not regenerate:
        print(f"==> reusing the bench database ({where.label}), made {made.get('at', '?')}", flush=True)
        _ocophub(where, "migrate", "--verbosity", "0")
        return None
    print(f"==> generating the bench database ({where.label}): {asdict(scale)}", flush=True)
    started = time.monotonic()
    if where.vendor == "postgresql":
        _pg_recreate(where)
        if where.var_dir.exists():
            shutil.rmtree(where.var_dir)
    elif where.var_dir.exists():
        shutil.rmtree(where.var_dir)
    where.var_dir.mkdir(parents=True, exist_ok=True)
    _ocophub(where, "setup", "--demo")
    seed = str(scale.seed)
    _ocophub(
        where,
        "generate",
        "--products",
        str(scale.products),
        "--producers",
        str(scale.producers),
        "--seed",
        seed,
    )
    _ocophub(
        where,
        "generate_sales",
        "--centers",
        str(scale.centers),
        "--sale-lines",
        str(scale.sale_lines),
        "--days",
        str(scale.days),
        "--seed",
        seed,
    )
    took = time.monotonic() - started
    record = {"params": wanted, "at": time.strftime("%Y-%m-%d %H:%M:%S"), "seconds": round(took, 1)}
    (where.var_dir / MARKER).write_text(json.dumps(record, indent=2))
    print(f"==> generated in {took:.0f}s", flush=True)
    return took
