"""Input of the online shop's pages: the basket kept in the session, checkout and staff order actions.

Forms only parse; the rules (required contact details, stock, allowed moves) live in the services, whose
DomainError messages the pages show next to the fields.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.sessions.backends.base import SessionBase
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.inventory.services import MAX_QUANTITY
from ocophub.places import selectors as places
from ocophub.places.models import AdministrativeUnit, Era

from .models import Fulfilment, PaymentMethod, PaymentTiming
from .selectors import saved_basket_read
from .services import LineIn, saved_basket_write

SESSION_KEY = "shop_basket"
MAX_CENTERS = 5
MAX_PRODUCTS_PER_CENTER = 30


def parse_quantity(value: Any, *, allow_zero: bool = False) -> int:
    """A whole number of units from a form field; 0 only where it means "remove"."""
    try:
        quantity = int(str(value).strip())
    except (TypeError, ValueError):
        quantity = -1
    low = 0 if allow_zero else 1
    if quantity < low or quantity > MAX_QUANTITY:
        raise DomainError(
            _("The quantity must be a whole number from %(low)s to %(max)s.")
            % {"low": low, "max": f"{MAX_QUANTITY:,}".replace(",", ".")},
            fields={"quantity": _("A whole number.")},
        )
    return quantity


def _clean(raw: Any) -> dict[str, dict[str, int]]:
    """{center id: {product id: quantity > 0}} from what a session or a saved basket holds."""
    if not isinstance(raw, dict):
        return {}
    clean: dict[str, dict[str, int]] = {}
    for center, lines in raw.items():
        if not isinstance(lines, dict):
            continue
        kept = {}
        for product, quantity in lines.items():
            try:
                number = int(quantity)
            except (TypeError, ValueError):
                continue
            if number > 0:
                kept[str(product)] = number
        if kept:
            clean[str(center)] = kept
    return clean


class Basket:
    """The visitor's basket: quantities per product per center, in the session (one checkout per center).

    Only ids and quantities are kept; names, prices and availability are read again on every page, so a
    price change or a sold-out product shows up before checkout.
    """

    def __init__(self, session: SessionBase, user: Any = None) -> None:
        self.session = session
        self.user = user
        self.data = _clean(session.get(SESSION_KEY))

    def save(self) -> None:
        """Into the session, and for a logged-in customer also into their saved basket."""
        self.data = {center: lines for center, lines in self.data.items() if lines}
        self.session[SESSION_KEY] = self.data
        self.session.modified = True
        if getattr(self.user, "is_authenticated", False):
            saved_basket_write(actor=self.user, lines=self.data)

    def merge_saved(self) -> None:
        """At login: the guest basket of this browser plus the customer's saved one. A product in both
        keeps the larger quantity (logging in twice adds nothing); lines beyond the basket's bounds are
        left out, the guest's own lines first."""
        saved = _clean(saved_basket_read(self.user))
        if not saved and not self.data:
            return  # nothing to keep: a login writes nothing
        for center, lines in saved.items():
            if center not in self.data and len(self.data) >= MAX_CENTERS:
                continue
            mine = self.data.setdefault(center, {})
            for product, quantity in lines.items():
                if product not in mine and len(mine) >= MAX_PRODUCTS_PER_CENTER:
                    continue
                mine[product] = min(max(mine.get(product, 0), quantity), MAX_QUANTITY)
        self.data = {center: lines for center, lines in self.data.items() if lines}
        self.session[SESSION_KEY] = self.data
        self.session.modified = True
        if self.data != saved:
            saved_basket_write(actor=self.user, lines=self.data)

    def quantity(self, center_id: int, product_id: int) -> int:
        return self.data.get(str(center_id), {}).get(str(product_id), 0)

    def add(self, center_id: int, product_id: int, quantity: int) -> int:
        """Add to what is already there; the sum is bounded like any quantity, the centers too (each
        center is one checkout and one availability query on the basket page)."""
        if str(center_id) not in self.data and len(self.data) >= MAX_CENTERS:
            raise DomainError(
                _("A basket holds goods of at most %(n)s centers.") % {"n": MAX_CENTERS},
                fields={"center": _("Too many centers.")},
            )
        lines = self.data.setdefault(str(center_id), {})
        if str(product_id) not in lines and len(lines) >= MAX_PRODUCTS_PER_CENTER:
            raise DomainError(
                _("A basket holds at most %(n)s products per center.") % {"n": MAX_PRODUCTS_PER_CENTER},
                fields={"product": _("Too many products.")},
            )
        total = parse_quantity(lines.get(str(product_id), 0) + quantity)
        lines[str(product_id)] = total
        self.save()
        return total

    def put(self, center_id: int, product_id: int, quantity: int) -> None:
        lines = self.data.setdefault(str(center_id), {})
        if quantity > 0:
            lines[str(product_id)] = quantity
        else:
            lines.pop(str(product_id), None)
        self.save()

    def forget(self, center_id: int, product_ids: set[int]) -> None:
        """Drop lines that can no longer be bought (unpublished product, center closed)."""
        lines = self.data.get(str(center_id), {})
        for product_id in product_ids:
            lines.pop(str(product_id), None)
        self.save()

    def clear(self, center_id: int) -> None:
        self.data.pop(str(center_id), None)
        self.save()

    def center_ids(self) -> list[int]:
        return [int(center) for center, lines in self.data.items() if lines]

    def items(self, center_id: int) -> dict[int, int]:
        return {int(p): q for p, q in self.data.get(str(center_id), {}).items()}

    def lines(self, center_id: int) -> list[LineIn]:
        return [LineIn(product_id, quantity) for product_id, quantity in self.items(center_id).items()]

    def count(self) -> int:
        return sum(sum(lines.values()) for lines in self.data.values())


def current_communes() -> Any:
    """Hanoi's communes and wards of today's two-tier system, by name."""
    return places.communes(era=Era.CURRENT, on=local_today()).order_by("folded_name")


class CommuneChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdministrativeUnit) -> str:
        return obj.name


class CheckoutForm(forms.Form):
    """Who buys and how the goods reach them. Required-ness is the service's to say (per fulfilment)."""

    name = forms.CharField(label=gettext_lazy("Full name"), max_length=120, required=False)
    email = forms.CharField(label=gettext_lazy("E-mail (optional)"), max_length=254, required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False)
    fulfilment = forms.ChoiceField(
        label=gettext_lazy("How do you want the goods?"),
        choices=Fulfilment.choices,
        initial=Fulfilment.PICKUP,
        widget=forms.RadioSelect,
    )
    payment_timing = forms.ChoiceField(
        label=gettext_lazy("How do you want to pay?"),
        choices=PaymentTiming.choices,
        initial=PaymentTiming.ADVANCE,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Bank transfer or payment at pick-up.")},
    )
    address = forms.CharField(
        label=gettext_lazy("Delivery address"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("House number, street, hamlet."),
    )
    commune = CommuneChoice(
        label=gettext_lazy("Commune or ward"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("— choose —"),
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the center"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        commune.queryset = current_communes()
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"

    def add_domain_error(self, error: DomainError) -> list[str]:
        """Put the service's field messages next to the fields; return those that belong to no field."""
        loose = []
        for field, message in error.fields.items():
            if field in self.fields:
                self.add_error(field, message)
            else:
                loose.append(message)
        return loose


class PayForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Paid by"), choices=PaymentMethod.choices, initial=PaymentMethod.TRANSFER
    )
    reference = forms.CharField(
        label=gettext_lazy("Bank reference"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("The transaction code on the bank statement."),
    )


class CollectForm(forms.Form):
    """The payment taken when a pick-up order paid at the center is handed over."""

    method = forms.ChoiceField(
        label=gettext_lazy("Paid by"),
        choices=[(m, PaymentMethod(m).label) for m in (PaymentMethod.CASH, PaymentMethod.CARD)],
        initial=PaymentMethod.CASH,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose cash or card."),
            "invalid_choice": gettext_lazy("Choose cash or card."),
        },
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, required=False)


class StatusFilter(forms.Form):
    status = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, choices: Iterable[tuple[str, str | Promise]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("All statuses")), *choices]
