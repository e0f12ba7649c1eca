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

from .create import backup_create, backup_daily, backups_prune
from .restore import backup_restore, backup_verify, holds_data
from .stats import BackupError, Comparison, TableStats, compare, engine, table_stats

__all__ = [
    "BackupError",
    "Comparison",
    "TableStats",
    "backup_create",
    "backup_daily",
    "backup_restore",
    "backup_verify",
    "backups_prune",
    "compare",
    "engine",
    "holds_data",
    "table_stats",
]
