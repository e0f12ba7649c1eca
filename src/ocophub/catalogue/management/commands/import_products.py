"""Import an Excel list of OCOP products in the city's layout: every row or none."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ocophub.catalogue.spreadsheet import ImportReport, products_import
from ocophub.common.progress import ProgressPrinter


class Command(BaseCommand):
    help = (
        "Import an Excel (.xlsx) list of OCOP products in the city's layout. Every row is checked first; "
        "a file with any error imports nothing and the errors are listed by row and column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx file")
        parser.add_argument("--actor", required=True, help="e-mail of the user the import is made as")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        actor = get_user_model().objects.filter(email__iexact=options["actor"].strip()).first()
        if actor is None:
            raise CommandError(f"No user with the e-mail {options['actor']}.")
        printer = ProgressPrinter(self.stdout)
        stage = "Checking rows" if options["dry_run"] else "Checking, writing"
        self.stdout.write(f"Importing {path.name} as {actor.email} …")
        report = products_import(
            actor=actor,
            data=data,
            commit=not options["dry_run"],
            progress=lambda done, total: printer(stage, done, total),
        )
        if printer.tty and report.errors:
            self.stdout.write("")  # end the bar the errors left unfinished
        if report.errors:
            self.stderr.write(f"{'Row':>6}  {'Column':<30} Message")
            for row_error in report.errors:
                self.stderr.write(
                    f"{row_error.row or '-':>6}  {row_error.column or '-':<30} {row_error.message}"
                )
            raise CommandError(f"{len(report.errors)} error(s): nothing was imported.")
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {_summary(report)}"))


def _summary(report: ImportReport) -> str:
    return (
        f"{report.rows_read} rows: {report.producers_created} new producers, {report.producers_matched} "
        f"already listed; {report.products_created} new products, {report.products_updated} updated, "
        f"{report.products_unchanged} unchanged; {report.certificates_created} new certificates, "
        f"{report.certificates_skipped} already recorded."
    )
