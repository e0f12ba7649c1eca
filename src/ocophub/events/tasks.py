"""Background jobs of the events."""

import datetime as dt

from django_tasks import task

from .services import waitlist_expire_offers


@task()
def waitlist_offers_expire_due() -> int:
    """Pass every waiting-list offer not taken in time to the next party in line."""
    return waitlist_expire_offers()


def schedule_offer_expiry(when: dt.datetime) -> None:
    """Queue the expiry just after an offer runs out (every offer calls this when it is made)."""
    waitlist_offers_expire_due.using(run_after=when + dt.timedelta(seconds=5)).enqueue()
