"""`ocophub restore FILE`: check a backup's checksums, restore it, compare every table after."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ocophub.common.backup import BackupError, backup_restore
from ocophub.common.progress import ProgressPrinter


class Command(BaseCommand):
    help = (
        "Restore a backup made by `ocophub backup`: refuses a file whose checksums fail and a database "
        "that already holds data (unless --force), then reports every table's rows against the file's."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="Replace a database that holds data")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_restore(
                options["file"], force=options["force"], progress=ProgressPrinter(self.stdout)
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in result.mismatches:
            self.stdout.write(f"  differs: {line}")
        if not result.ok:
            raise CommandError(f"{len(result.mismatches)} of {result.tables} tables differ from the backup")
        self.stdout.write(f"restored: all {result.tables} tables have the backup's rows and checksums")
