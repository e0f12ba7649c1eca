"""Forms of the public tour pages: the list's filters and the booking form.

The booking form only parses what was typed; the rules (a party of one or more, children with an
adult where the tour asks, a departure still open) are the services', whose messages the page shows.
"""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common.forms import date_field
from ocophub.places.models import Craft, CraftVillage


class TourFilterForm(forms.Form):
    """The list's filters (a GET form): craft, craft village, center, and a range of departure days."""

    craft = forms.ChoiceField(
        label=_("Craft"),
        required=False,
        error_messages={"invalid_choice": _("Choose a craft from the list.")},
    )
    lang = forms.ChoiceField(
        label=_("Craft village"),
        required=False,
        error_messages={"invalid_choice": _("Choose a craft village from the list.")},
    )
    center = forms.ChoiceField(
        label=_("Center"),
        required=False,
        error_messages={"invalid_choice": _("Choose a center from the list.")},
    )
    tu = date_field(_("Departing from"))
    den = date_field(_("Departing until"))

    def __init__(self, data: Any, *, english: bool) -> None:
        super().__init__(data)
        everything = [("", _("All"))]
        crafts = list(Craft.objects.order_by("name").values_list("slug", "name", "name_en", "pk"))
        villages = list(CraftVillage.objects.order_by("name").values_list("slug", "name", "pk"))
        centers = list(
            Center.objects.filter(status__in=PUBLIC_STATUSES)
            .order_by("name")
            .values_list("slug", "name", "pk")
        )
        self.choices("craft", everything + [(s, en if english and en else vi) for s, vi, en, _pk in crafts])
        self.choices("lang", everything + [(s, name) for s, name, _pk in villages])
        self.choices("center", everything + [(s, name) for s, name, _pk in centers])
        self.craft_ids = {s: pk for s, _vi, _en, pk in crafts}
        self.village_ids = {s: pk for s, _name, pk in villages}
        self.center_ids = {s: pk for s, _name, pk in centers}

    def choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("tu"), data.get("den")
        if since and until and until < since:
            self.add_error("den", _("The last day is before the first."))
        return data


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a whole number.")},
    )


class BookingForm(forms.Form):
    """A party's booking (or waiting-list entry): the checks are the services'."""

    adults = _count(_("Adults"))
    children = _count(_("Children"))
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
    # the form's random key: a double submission leads to the booking made the first time
    key = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def clean_key(self) -> str:
        key = self.cleaned_data.get("key") or ""
        return key if re.fullmatch(r"[0-9a-f]{32}", key) else ""
