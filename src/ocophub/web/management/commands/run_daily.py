"""Queue the periodic jobs (idempotent: safe to run any number of times, e.g. hourly from cron or a loop)."""

from typing import Any

from django.core.management.base import BaseCommand

from ocophub.catalogue import search
from ocophub.catalogue.tasks import certificates_notify_expiring, stars_refresh_due
from ocophub.common import ratelimit
from ocophub.common.backup import backup_daily
from ocophub.events.tasks import waitlist_offers_expire_due
from ocophub.sales.tasks import orders_release_expired
from ocophub.seats.tasks import holds_expire_due
from ocophub.tours.tasks import tour_offers_expire_due


class Command(BaseCommand):
    help = (
        "Queue the periodic jobs: the products' current stars (after certificates expired or took effect), "
        "expiry notices of OCOP certificates, and the release of unpaid online "
        "orders and seat holds whose hold ran out (each order and hold also schedules its own release "
        "when it is placed), and of waiting-list offers (events and tours) not taken in time; rate-limit "
        "counters of windows long past are dropped, and the search vocabulary is rebuilt, here."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Run them here instead of queueing them")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"old rate-limit counters dropped: {ratelimit.purge()}")
        self.stdout.write(f"search vocabulary rebuilt: {search.rebuild_vocabulary()} words")
        made = backup_daily()
        self.stdout.write(
            f"daily backup written: {made}" if made else "daily backup: not due (or BACKUP_DAILY off)"
        )
        if options["now"]:
            self.stdout.write(f"products whose stars were brought up to date: {stars_refresh_due.call()}")
            self.stdout.write(f"certificate expiry notices sent: {certificates_notify_expiring.call()}")
            self.stdout.write(f"unpaid orders released: {orders_release_expired.call()}")
            self.stdout.write(f"unpaid seat holds expired: {holds_expire_due.call()}")
            self.stdout.write(f"waiting-list offers passed on: {waitlist_offers_expire_due.call()}")
            self.stdout.write(f"tour waiting-list offers passed on: {tour_offers_expire_due.call()}")
        else:
            self.stdout.write(f"queued the update of products' stars ({stars_refresh_due.enqueue().id})")
            self.stdout.write(
                f"queued certificate expiry notices ({certificates_notify_expiring.enqueue().id})"
            )
            self.stdout.write(f"queued the release of unpaid orders ({orders_release_expired.enqueue().id})")
            self.stdout.write(f"queued the expiry of unpaid seat holds ({holds_expire_due.enqueue().id})")
            self.stdout.write(
                f"queued the expiry of waiting-list offers ({waitlist_offers_expire_due.enqueue().id})"
            )
            self.stdout.write(
                f"queued the expiry of tour waiting-list offers ({tour_offers_expire_due.enqueue().id})"
            )
