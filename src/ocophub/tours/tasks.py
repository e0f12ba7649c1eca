"""Background jobs of the tours (the seat holds' expiry is the seats' own job, with our hook)."""

import datetime as dt

from django_tasks import task

from .services import waitlist_expire_offers


@task()
def tour_offers_expire_due() -> int:
    """Pass every waiting-list offer not taken in time to the next party in line."""
    return waitlist_expire_offers()


def schedule_offer_expiry(when: dt.datetime) -> None:
    """Queue the expiry just after an offer runs out (every offer calls this when it is made)."""
    tour_offers_expire_due.using(run_after=when + dt.timedelta(seconds=5)).enqueue()
