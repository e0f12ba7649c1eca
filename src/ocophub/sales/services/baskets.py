"""Writes of the saved shop basket of logged-in customers."""

from typing import Any

from django.db import transaction

from ..models import SavedBasket


def saved_basket_write(*, actor: Any, lines: dict[str, dict[str, int]]) -> None:
    """Keep the customer's basket as it is now (an empty basket keeps an empty row)."""
    if not getattr(actor, "is_authenticated", False):
        return
    with transaction.atomic():
        SavedBasket.objects.update_or_create(user=actor, defaults={"lines": lines})
