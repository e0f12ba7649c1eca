"""Background jobs of the shop."""

import datetime as dt

from django_tasks import task

from .services import orders_release_expired_now


@task()
def orders_release_expired() -> int:
    """Cancel unpaid orders whose hold ran out and put their goods back on the shelf."""
    return orders_release_expired_now()


def schedule_hold_release(when: dt.datetime) -> None:
    """Queue the release just after a hold runs out (an order calls this when it is placed)."""
    orders_release_expired.using(run_after=when + dt.timedelta(seconds=5)).enqueue()
