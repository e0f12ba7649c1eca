"""What a backup knows of a database: its tables, their row counts and checksums, and the tools."""

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection

FORMAT = 1
CHUNK = 1024 * 1024
MODULUS = 2**256
# Tables whose rows say nothing of the site's data: a database with rows only here counts as empty.
BOOKKEEPING = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "ocophub_cache",
    "django_session",
}

Progress = Callable[[str, int, int], None]


class BackupError(Exception):
    """A backup cannot be made, or a file cannot be restored; the message says why."""


def quiet(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class TableStats:
    rows: int
    checksum: str


@dataclass
class Comparison:
    tables: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of a {vendor} database are not supported")
    return vendor


def site_tables(cursor: Any) -> list[str]:
    names = connection.introspection.table_names(cursor)
    # SQLite's own tables; FTS5 shadow tables come back with their virtual table, whose rows they hold
    return sorted(name for name in names if not name.startswith("sqlite_") and not _fts_shadow(name, names))


def _fts_shadow(name: str, names: list[str]) -> bool:
    for suffix in ("_data", "_idx", "_content", "_docsize", "_config"):
        if name.endswith(suffix) and name[: -len(suffix)] in names and name[: -len(suffix)].endswith("_fts"):
            return True
    return False


def _text(value: Any) -> str:
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    return str(value)


def _stats_of(cursor: Any, table: str, quote: Callable[[str], str]) -> TableStats:
    cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 — a table name the database listed
    rows, total = 0, 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest = hashlib.sha256("\x1f".join(_text(value) for value in row).encode()).digest()
            total = (total + int.from_bytes(digest, "big")) % MODULUS
            rows += 1
    return TableStats(rows=rows, checksum=f"{total:064x}")


def table_stats(cursor: Any | None = None, progress: Progress = quiet) -> dict[str, TableStats]:
    """Every table's row count and rows' checksum, read through `cursor` (the default connection's).

    SQLite is read through a plain sqlite3 connection to its file, as the backup's copy is: Django's
    connection turns dates and times into objects, which would print differently."""
    if connection.vendor == "sqlite" and cursor is None:
        return sqlite_stats(Path(str(connection.settings_dict["NAME"])), progress)
    own = cursor is None
    cursor = cursor or connection.cursor()
    try:
        quote = connection.ops.quote_name
        names = site_tables(cursor)
        stats = {}
        for number, name in enumerate(names, 1):
            stats[name] = _stats_of(cursor, name, quote)
            progress("tables counted", number, len(names))
        return stats
    finally:
        if own:
            cursor.close()


def sqlite_stats(path: Path, progress: Progress) -> dict[str, TableStats]:
    with sqlite3.connect(path) as copy:
        names = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
            )
        ]
        tables = sorted(
            name for name in names if not name.startswith("sqlite_") and not _fts_shadow(name, names)
        )
        stats = {}
        for number, name in enumerate(tables, 1):
            stats[name] = _stats_of(copy.cursor(), name, lambda n: '"' + n.replace('"', '""') + '"')
            progress("tables counted", number, len(tables))
    return stats


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def pg_args() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore arguments naming the database, and the environment carrying its password."""
    db = connection.settings_dict
    args = [
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db["USER"]),
    ]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args + ["-d", str(db["NAME"])], env


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client; `make system-deps`)")
    return found


def compare(manifest: dict[str, Any], stats: dict[str, TableStats]) -> Comparison:
    result = Comparison(tables=len(manifest["tables"]))
    for name, expected in sorted(manifest["tables"].items()):
        found = stats.get(name)
        if found is None:
            result.mismatches.append(f"{name}: missing")
        elif found.rows != expected["rows"] or found.checksum != expected["checksum"]:
            result.mismatches.append(
                f"{name}: {found.rows} rows (backup: {expected['rows']}), checksum differs"
                if found.checksum != expected["checksum"]
                else f"{name}: {found.rows} rows (backup: {expected['rows']})"
            )
    return result
