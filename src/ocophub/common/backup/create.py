"""Writing a backup file, pruning old ones, and the daily backup."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from .stats import (
    FORMAT,
    BackupError,
    Progress,
    TableStats,
    engine,
    pg_args,
    pg_tool,
    quiet,
    sha256_file,
    sqlite_stats,
    table_stats,
)


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


def _dump_postgresql(target: Path, progress: Progress) -> dict[str, TableStats]:
    """pg_dump -Fc of a snapshot, and the table stats read in that same snapshot."""
    args, env = pg_args()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            progress("database dumped", 0, 1)
            run = subprocess.run(  # noqa: S603 — our own arguments, no shell
                [
                    pg_tool("pg_dump"),
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
    return sqlite_stats(target, progress)


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


def backup_create(directory: Path | None = None, *, media: bool = True, progress: Progress = quiet) -> Path:
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
                {"name": database.name, "sha256": sha256_file(database), "size": database.stat().st_size}
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
    (final.parent / f"{final.name}.sha256").write_text(f"{sha256_file(final)}  {final.name}\n")
    return final


def backups_prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (and their .sha256 files) in `directory`."""
    files = sorted(Path(directory).glob("ocophub-*.tar"), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = []
    for old in files[max(keep, 1) :]:
        old.unlink()
        (old.parent / f"{old.name}.sha256").unlink(missing_ok=True)
        removed.append(old)
    return removed


def backup_daily(progress: Progress = quiet) -> Path | None:
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
