"""Load or refresh Hanoi's administrative units, the 2025 conversion maps and the craft villages."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from ocophub.places.services import places_load


class ProgressPrinter:
    """A one-line bar per stage, redrawn in place on a terminal and printed once otherwise."""

    def __init__(self, stdout: Any, width: int = 30) -> None:
        self.stdout = stdout
        self.width = width
        self.tty = hasattr(stdout, "isatty") and stdout.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        filled = int(self.width * done / total) if total else self.width
        line = f"  {stage:<20} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}"
        if self.tty:
            self.stdout.write("\r" + line, ending="\n" if done >= total else "")
            self.stdout.flush()
        elif done >= total:
            self.stdout.write(line)


class Command(BaseCommand):
    help = (
        "Load or refresh Hanoi's administrative units (before and after 2025), "
        "their conversion map and craft villages."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.stdout.write("Loading Hanoi's administrative units and craft villages …")
        report = places_load(progress=ProgressPrinter(self.stdout))
        status = "updated" if report.changed else "already up to date"
        self.stdout.write(
            self.style.SUCCESS(f"Places {status} in {time.monotonic() - started:.1f}s — {report.summary()}")
        )
