"""Load or refresh Hanoi's administrative units, the 2025 conversion maps and the craft villages."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from ocophub.common.progress import ProgressPrinter
from ocophub.places.services import places_load


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
