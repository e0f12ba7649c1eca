"""The stock ledger's references to sales: receipts, returns and online orders, in words, linked to the
counter's receipt page or the center's order page when the viewer works at the counter of that center."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.centers.models import Center
from ocophub.inventory.references import ReferenceLink

from .models import Return


def describe_sales(user: Any, center: Center, codes: list[str]) -> dict[str, ReferenceLink]:
    opens = permissions.can_sell_at(user, center)
    return {
        code: ReferenceLink(
            _("Receipt %(number)s") % {"number": code},
            reverse("pos:receipt", args=[center.slug, code]) if opens else "",
        )
        for code in codes
    }


def describe_returns(user: Any, center: Center, codes: list[str]) -> dict[str, ReferenceLink]:
    """A return is shown on the receipt it was taken back against."""
    opens = permissions.can_sell_at(user, center)
    sales = (
        dict(
            Return.objects.filter(number__in=codes, sale__center=center).values_list("number", "sale__number")
        )
        if opens
        else {}
    )
    return {
        code: ReferenceLink(
            _("Return %(number)s") % {"number": code},
            reverse("pos:receipt", args=[center.slug, sales[code]]) if code in sales else "",
        )
        for code in codes
    }


def describe_orders(user: Any, center: Center, codes: list[str]) -> dict[str, ReferenceLink]:
    opens = permissions.can_sell_at(user, center)
    return {
        code: ReferenceLink(
            _("Order %(number)s") % {"number": code},
            reverse("shop:center_order", args=[center.slug, code]) if opens else "",
        )
        for code in codes
    }
