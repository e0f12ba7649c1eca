"""Background jobs of the shop."""

from django_tasks import task

from .services import orders_release_expired_now


@task()
def orders_release_expired() -> int:
    """Cancel unpaid orders whose hold ran out and put their goods back on the shelf."""
    return orders_release_expired_now()
