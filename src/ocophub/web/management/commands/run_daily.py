"""Queue the daily jobs (idempotent: safe to run more than once a day, e.g. from cron or a loop)."""

from typing import Any

from django.core.management.base import BaseCommand

from ocophub.catalogue.tasks import certificates_notify_expiring


class Command(BaseCommand):
    help = "Queue the daily jobs: expiry notices of OCOP certificates."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Run them here instead of queueing them")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(f"certificate expiry notices sent: {certificates_notify_expiring.call()}")
        else:
            result = certificates_notify_expiring.enqueue()
            self.stdout.write(f"queued certificate expiry notices ({result.id})")
