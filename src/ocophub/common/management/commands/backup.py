"""`ocophub backup`: one file holding the database and the uploaded media, with its checksums."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ocophub.common.backup import BackupError, backup_create, backups_prune
from ocophub.common.progress import ProgressPrinter


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup API, or pg_dump -Fc) and the uploaded media into one "
        "timestamped file with the row count and checksum of every table, beside a .sha256 file."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dir", type=Path, default=None, help="Folder for the file (BACKUP_DIR by default)"
        )
        parser.add_argument("--no-media", action="store_true", help="Leave the uploaded media out")
        parser.add_argument(
            "--keep", type=int, default=None, help="Then keep only the newest N backups there"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"] or Path(settings.BACKUP_DIR)
        try:
            path = backup_create(
                directory, media=not options["no_media"], progress=ProgressPrinter(self.stdout)
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup written: {path} ({path.stat().st_size:,} bytes)")
        if options["keep"]:
            for old in backups_prune(directory, options["keep"]):
                self.stdout.write(f"removed an older backup: {old.name}")
