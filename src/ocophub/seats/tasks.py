"""Background jobs of the seats."""

import datetime as dt

from django_tasks import task

from .services import holds_expire


@task()
def holds_expire_due() -> int:
    """Expire the unpaid holds whose time ran out and give their seats back."""
    return holds_expire()


def schedule_expiry(when: dt.datetime) -> None:
    """Queue the expiry just after a hold runs out (every hold calls this when it is placed)."""
    holds_expire_due.using(run_after=when + dt.timedelta(seconds=5)).enqueue()
