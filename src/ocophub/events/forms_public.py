"""Forms of the public pages: the calendar's filters, the registration and the waiting-list forms.

The registration form only parses what was typed: the rules (a party above zero and within the
session, one registration per contact, a session still to come) are the services', whose messages
the page shows beside the fields.
"""

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common.forms import FIRST_DAY, LAST_DAY, date_field
from ocophub.places.models import Craft

from .models import EventKind, PaymentMethod

PRICE_CHOICES = [("mien-phi", _("free")), ("co-phi", _("paid"))]
MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_of(text: str) -> dt.date | None:
    """The first day of the month written yyyy-mm (within the platform's dates), else None."""
    found = MONTH.fullmatch(text.strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12:
        return None
    first = dt.date(year, month, 1)
    return first if FIRST_DAY <= first <= LAST_DAY else None


class CalendarFilterForm(forms.Form):
    """The calendar's filters (a GET form): center, craft, kind, a range of days, free or paid, and
    the month that the month view shows."""

    center = forms.ChoiceField(
        label=_("Center"),
        required=False,
        error_messages={"invalid_choice": _("Choose a center from the list.")},
    )
    craft = forms.ChoiceField(
        label=_("Craft"),
        required=False,
        error_messages={"invalid_choice": _("Choose a craft from the list.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of event"),
        required=False,
        error_messages={"invalid_choice": _("Choose a kind of event from the list.")},
    )
    tu = date_field(_("From"))
    den = date_field(_("To"))
    gia = forms.ChoiceField(
        label=_("Price"),
        required=False,
        choices=[("", _("All")), *PRICE_CHOICES],
        error_messages={"invalid_choice": _("Choose free or paid.")},
    )
    thang = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=forms.HiddenInput,
        error_messages={"max_length": _("A month as yyyy-mm.")},
    )

    def __init__(self, data: Any, *, english: bool) -> None:
        super().__init__(data)
        everything = [("", _("All"))]
        centers = list(
            Center.objects.filter(status__in=PUBLIC_STATUSES)
            .order_by("name")
            .values_list("slug", "name", "pk")
        )
        crafts = list(Craft.objects.order_by("name").values_list("slug", "name", "name_en", "pk"))
        self.choices("center", everything + [(slug, name) for slug, name, _pk in centers])
        self.choices(
            "craft", everything + [(slug, en if english and en else vi) for slug, vi, en, _pk in crafts]
        )
        self.choices("kind", everything + list(EventKind.choices))
        # slug → (id, name), for the query and the page's heading
        self.center_ids = {slug: (pk, name) for slug, name, pk in centers}
        self.craft_ids = {slug: pk for slug, _vi, _en, pk in crafts}

    def choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_thang(self) -> dt.date | None:
        text = self.cleaned_data.get("thang") or ""
        if not text:
            return None
        first = month_of(text)
        if first is None:
            raise forms.ValidationError(_("A month as yyyy-mm, e.g. 2026-12."))
        return first

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("tu"), data.get("den")
        if since and until and until < since:
            self.add_error("den", _("The last day is before the first."))
        return data


class RegistrationForm(forms.Form):
    """A party's registration: the checks are the service's (see the module's docstring)."""

    party_size = forms.IntegerField(
        label=_("Number of people"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        error_messages={"invalid": _("The number of people must be a whole number above zero.")},
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=_("The ticket is sent there."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    payment_method = forms.ChoiceField(
        label=_("Payment"),
        required=False,
        choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Pay by bank transfer (VietQR) or at the door.")},
    )
    # the form's random key: a double submission leads to the registration made the first time
    key = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def clean_key(self) -> str:
        key = self.cleaned_data.get("key") or ""
        return key if re.fullmatch(r"[0-9a-f]{32}", key) else ""


class AcceptForm(forms.Form):
    """Taking up the seats a waiting-list offer holds: how the party pays (paid sessions)."""

    payment_method = forms.ChoiceField(
        label=_("Payment"),
        required=False,
        choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Pay by bank transfer (VietQR) or at the door.")},
    )
