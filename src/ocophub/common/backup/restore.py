"""Checking a backup file and restoring it."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, connections

from .stats import (
    BOOKKEEPING,
    CHUNK,
    FORMAT,
    BackupError,
    Comparison,
    Progress,
    compare,
    engine,
    pg_args,
    pg_tool,
    quiet,
    sha256_file,
    site_tables,
    table_stats,
)


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


def backup_verify(path: Path, progress: Progress = quiet) -> dict[str, Any]:
    """The manifest of a backup whose every checksum holds; a BackupError otherwise."""
    path = Path(path)
    if not path.is_file():
        raise _refuse(f"{path} does not exist")
    sidecar = path.parent / f"{path.name}.sha256"
    if sidecar.exists():
        expected = sidecar.read_text().split()[0] if sidecar.read_text().split() else ""
        if sha256_file(path) != expected:
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
        names = [name for name in site_tables(cursor) if name not in BOOKKEEPING]
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
    args, env = pg_args()
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
                pg_tool("pg_restore"),
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


def backup_restore(path: Path, *, force: bool = False, progress: Progress = quiet) -> Comparison:
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
