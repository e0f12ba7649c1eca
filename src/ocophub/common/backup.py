"""Backups of the whole site: the database and the uploaded media, in one file that proves itself.

A backup is one tar file, `ocophub-<engine>-<YYYYmmdd-HHMMSS>.tar`, with a sidecar `<file>.sha256`
(`sha256sum` format) beside it. Inside:

- `manifest.json`: the engine, the time, the migrations applied, every table's row count and the
  checksum of its rows, and the SHA-256 and size of every other member;
- `manifest.sha256`: the SHA-256 of `manifest.json`;
- `database.sqlite3` (SQLite's online backup API, then `PRAGMA integrity_check`) or `database.pgdump`
  (`pg_dump -Fc` of the very snapshot the counts were taken in);
- `media/<name>`: every file of Django's default storage.

A table's checksum does not depend on row order: the sum, modulo 2²⁵⁶, of the SHA-256 of each row's
values as text. Restoring refuses a file whose sidecar, manifest or any member fails its checksum, a
truncated file, another engine's backup, and a database that already holds data unless forced; then it
compares every table's count and checksum with the manifest's.
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.utils import timezone

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


def _quiet(stage: str, done: int, total: int) -> None:
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


def _tables(cursor: Any) -> list[str]:
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


def table_stats(cursor: Any | None = None, progress: Progress = _quiet) -> dict[str, TableStats]:
    """Every table's row count and rows' checksum, read through `cursor` (the default connection's).

    SQLite is read through a plain sqlite3 connection to its file, as the backup's copy is: Django's
    connection turns dates and times into objects, which would print differently."""
    if connection.vendor == "sqlite" and cursor is None:
        return _sqlite_stats(Path(str(connection.settings_dict["NAME"])), progress)
    own = cursor is None
    cursor = cursor or connection.cursor()
    try:
        quote = connection.ops.quote_name
        names = _tables(cursor)
        stats = {}
        for number, name in enumerate(names, 1):
            stats[name] = _stats_of(cursor, name, quote)
            progress("tables counted", number, len(names))
        return stats
    finally:
        if own:
            cursor.close()


def _sqlite_stats(path: Path, progress: Progress) -> dict[str, TableStats]:
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


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_names(folder: str = "") -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _media_names(f"{folder}/{sub}" if folder else sub)


def _migrations() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
        latest: dict[str, str] = {}
        for app, name in cursor.fetchall():
            latest[app] = name
    return latest


def _pg_env() -> tuple[list[str], dict[str, str]]:
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


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client; `make system-deps`)")
    return found


def _dump_postgresql(target: Path, progress: Progress) -> dict[str, TableStats]:
    """pg_dump -Fc of a snapshot, and the table stats read in that same snapshot."""
    args, env = _pg_env()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            progress("database dumped", 0, 1)
            run = subprocess.run(  # noqa: S603 — our own arguments, no shell
                [
                    _tool("pg_dump"),
                    "-Fc",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "-f",
                    str(target),
                    *args,
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if run.returncode:
                raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
            progress("database dumped", 1, 1)
            stats = table_stats(cursor, progress)
        finally:
            cursor.execute("COMMIT")
    return stats


def _dump_sqlite(target: Path, progress: Progress) -> dict[str, TableStats]:
    source = sqlite3.connect(str(connection.settings_dict["NAME"]))
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(
                copy,
                pages=256,
                progress=lambda status, remaining, total: progress(
                    "database copied", total - remaining, total
                ),
            )
        finally:
            copy.close()
    finally:
        source.close()
    with sqlite3.connect(target) as check:
        verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise BackupError(f"the copy fails SQLite's integrity check: {verdict}")
    return _sqlite_stats(target, progress)


def _add(archive: tarfile.TarFile, name: str, path: Path) -> None:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        archive.addfile(info, handle)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup_create(directory: Path | None = None, *, media: bool = True, progress: Progress = _quiet) -> Path:
    """Write a backup of the database (and the media) into `directory`; return the file's path."""
    kind = engine()
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = directory / f"ocophub-{kind}-{stamp}.tar"
    number = 1
    while final.exists():
        number += 1
        final = directory / f"ocophub-{kind}-{stamp}-{number}.tar"
    with tempfile.TemporaryDirectory(dir=directory) as work:
        database = Path(work) / ("database.sqlite3" if kind == "sqlite" else "database.pgdump")
        stats = _dump_sqlite(database, progress) if kind == "sqlite" else _dump_postgresql(database, progress)
        names = list(_media_names()) if media else []
        partial = Path(work) / "backup.tar"
        members: list[dict[str, Any]] = []
        with tarfile.open(partial, "w") as archive:
            _add(archive, database.name, database)
            members.append(
                {"name": database.name, "sha256": _sha256_file(database), "size": database.stat().st_size}
            )
            for number, name in enumerate(names, 1):
                with default_storage.open(name, "rb") as handle:
                    data = handle.read()
                _add_bytes(archive, f"media/{name}", data)
                members.append(
                    {"name": f"media/{name}", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                )
                progress("media files", number, len(names))
            manifest = {
                "format": FORMAT,
                "engine": kind,
                "created_at": timezone.now().isoformat(),
                "migrations": _migrations(),
                "tables": {name: {"rows": s.rows, "checksum": s.checksum} for name, s in stats.items()},
                "members": members,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            _add_bytes(archive, "manifest.json", body)
            _add_bytes(archive, "manifest.sha256", hashlib.sha256(body).hexdigest().encode())
        os.replace(partial, final)
    (final.parent / f"{final.name}.sha256").write_text(f"{_sha256_file(final)}  {final.name}\n")
    return final


@dataclass
class Verified:
    manifest: dict[str, Any]
    archive: tarfile.TarFile


def _refuse(message: str) -> BackupError:
    return BackupError(f"refused: {message}")


def _read_member(archive: tarfile.TarFile, name: str) -> IO[bytes]:
    try:
        handle = archive.extractfile(name)
    except KeyError as error:
        raise _refuse(f"the backup has no {name}") from error
    if handle is None:
        raise _refuse(f"{name} is not a file")
    return handle


def backup_verify(path: Path, progress: Progress = _quiet) -> dict[str, Any]:
    """The manifest of a backup whose every checksum holds; a BackupError otherwise."""
    path = Path(path)
    if not path.is_file():
        raise _refuse(f"{path} does not exist")
    sidecar = path.parent / f"{path.name}.sha256"
    if sidecar.exists():
        expected = sidecar.read_text().split()[0] if sidecar.read_text().split() else ""
        if _sha256_file(path) != expected:
            raise _refuse("the file's checksum does not match its .sha256 file (altered or truncated)")
    try:
        with tarfile.open(path, "r:") as archive:
            body = _read_member(archive, "manifest.json").read()
            claimed = _read_member(archive, "manifest.sha256").read().decode().strip()
            if hashlib.sha256(body).hexdigest() != claimed:
                raise _refuse("the manifest does not match its checksum")
            manifest: dict[str, Any] = json.loads(body)
            if manifest.get("format") != FORMAT:
                raise _refuse(f"unknown backup format {manifest.get('format')!r}")
            members = manifest["members"]
            for number, member in enumerate(members, 1):
                digest = hashlib.sha256()
                handle = _read_member(archive, member["name"])
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                if digest.hexdigest() != member["sha256"]:
                    raise _refuse(f"{member['name']} does not match its checksum (altered or truncated)")
                progress("members checked", number, len(members))
    except (tarfile.TarError, EOFError, OSError, ValueError, KeyError) as error:
        raise _refuse(f"the file is damaged or not a backup ({error})") from error
    return manifest


def holds_data() -> list[str]:
    """The tables of the site's own data that have rows (empty: a fresh database, even migrated)."""
    with connection.cursor() as cursor:
        names = [name for name in _tables(cursor) if name not in BOOKKEEPING]
        quote = connection.ops.quote_name
        full = []
        for name in names:
            cursor.execute(f"SELECT 1 FROM {quote(name)} LIMIT 1")  # noqa: S608 — a listed table
            if cursor.fetchone():
                full.append(name)
    return full


def _restore_sqlite(archive_path: Path, member: str) -> None:
    target = Path(str(connection.settings_dict["NAME"]))
    connections.close_all()
    with (
        tarfile.open(archive_path, "r:") as archive,
        tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as out,
    ):
        shutil.copyfileobj(_read_member(archive, member), out)
        staged = Path(out.name)
    with sqlite3.connect(staged) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            staged.unlink()
            raise _refuse("the database in the backup fails SQLite's integrity check")
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)


def _restore_postgresql(archive_path: Path, member: str) -> None:
    args, env = _pg_env()
    with tarfile.open(archive_path, "r:") as archive, tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database.pgdump"
        with dump.open("wb") as out:
            shutil.copyfileobj(_read_member(archive, member), out)
        connections.close_all()
        # drop what the target holds (tables made by migrate, or the data being replaced), then load
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        connections.close_all()
        run = subprocess.run(  # noqa: S603 — our own arguments, no shell
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode:
            raise BackupError(f"pg_restore failed: {run.stderr.strip()}")


def _restore_media(archive_path: Path, manifest: dict[str, Any], progress: Progress) -> int:
    media = [m["name"] for m in manifest["members"] if m["name"].startswith("media/")]
    with tarfile.open(archive_path, "r:") as archive:
        for number, member in enumerate(media, 1):
            name = member.removeprefix("media/")
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, File(_read_member(archive, member)))
            if saved != name:
                raise BackupError(f"the storage kept {name} as {saved}")
            progress("media files", number, len(media))
    return len(media)


def backup_restore(path: Path, *, force: bool = False, progress: Progress = _quiet) -> Comparison:
    """Restore a verified backup over the current database (and media); compare every table after."""
    path = Path(path)
    manifest = backup_verify(path, progress)
    kind = engine()
    if manifest["engine"] != kind:
        raise _refuse(f"this is a {manifest['engine']} backup and the database is {kind}")
    if not force and (full := holds_data()):
        raise _refuse(
            f"the database already holds data ({len(full)} tables with rows, e.g. {', '.join(full[:3])}); "
            "use --force to replace it"
        )
    database = next(m["name"] for m in manifest["members"] if m["name"].startswith("database."))
    progress("database restored", 0, 1)
    if kind == "sqlite":
        _restore_sqlite(path, database)
    else:
        _restore_postgresql(path, database)
    progress("database restored", 1, 1)
    _restore_media(path, manifest, progress)
    return compare(manifest, table_stats(progress=progress))


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


def backups_prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (and their .sha256 files) in `directory`."""
    files = sorted(Path(directory).glob("ocophub-*.tar"), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = []
    for old in files[max(keep, 1) :]:
        old.unlink()
        (old.parent / f"{old.name}.sha256").unlink(missing_ok=True)
        removed.append(old)
    return removed


def backup_daily(progress: Progress = _quiet) -> Path | None:
    """The scheduled backup: one a day when BACKUP_DAILY is on, keeping BACKUP_KEEP copies."""
    if not settings.BACKUP_DAILY:
        return None
    directory = Path(settings.BACKUP_DIR)
    today = timezone.localtime().strftime("%Y%m%d")
    if any(directory.glob(f"ocophub-{engine()}-{today}-*.tar")):
        return None
    made = backup_create(directory, progress=progress)
    backups_prune(directory, settings.BACKUP_KEEP)
    return made
