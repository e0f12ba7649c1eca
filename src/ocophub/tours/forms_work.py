"""Forms of the operators' and the tourism department's work pages: they parse what people type
(dd/mm/yyyy, HH:MM, đồng with dots, refund tiers as "7:100"); the services hold the rules and say why."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ocophub.common.forms import date_field
from ocophub.events.forms_center import (
    WEEKDAY_CHOICES,
    AmountField,
    CheckInForm,
    PaymentForm,
    ReasonForm,
    time_field,
)
from ocophub.events.models import EVENT_LANGUAGES

from .models import BookingType, OperatorKind, StopKind

REQUIRED = {"required": _("Required.")}

__all__ = ["CheckInForm", "PaymentForm", "ReasonForm"]


class OperatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, error_messages=REQUIRED)
    kind = forms.ChoiceField(label=_("Kind"), choices=OperatorKind.choices, initial=OperatorKind.COMPANY)
    licence_number = forms.CharField(label=_("Licence number"), max_length=40, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    bank_bin = forms.CharField(label=_("Bank BIN"), max_length=8, required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=120, required=False)
    account_number = forms.CharField(label=_("Account number"), max_length=30, required=False)
    account_holder = forms.CharField(label=_("Account holder"), max_length=120, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class MemberForm(forms.Form):
    """A member of the operator, found by their exact e-mail address or phone number."""

    login = forms.CharField(
        label=_("E-mail or phone number"),
        max_length=254,
        help_text=_("The address or number the person logs in with."),
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_login(self) -> Any:
        from ocophub.accounts import selectors as accounts

        user = accounts.user_by_login(self.cleaned_data["login"])
        if user is None:
            raise forms.ValidationError(_("No account has this e-mail address or phone number."))
        return user


class RefundTiersField(forms.CharField):
    """Refund tiers typed one a line as "days:percent" ("7:100", "2:50"); empty is no refund."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value) or ""
        tiers = []
        for line in text.replace(",", "\n").splitlines():
            line = line.strip()
            if not line:
                continue
            days, sep, percent = line.partition(":")
            if not sep or not days.strip().isdecimal() or not percent.strip().isdecimal():
                raise forms.ValidationError(_("One tier a line as days:percent, e.g. 7:100."))
            tiers.append({"days": int(days), "percent": int(percent)})
        return tiers


def tiers_text(rule: Any) -> str:
    return "\n".join(f"{tier['days']}:{tier['percent']}" for tier in rule or [])


class TourForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, error_messages=REQUIRED)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[(code, code.upper()) for code in EVENT_LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    included = forms.CharField(
        label=_("Included"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    excluded = forms.CharField(
        label=_("Not included"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    meeting_point = forms.CharField(label=_("Meeting point"), max_length=300, error_messages=REQUIRED)
    meeting_latitude = forms.CharField(label=_("Meeting point latitude"), required=False, max_length=20)
    meeting_longitude = forms.CharField(label=_("Meeting point longitude"), required=False, max_length=20)
    adult_price = AmountField(label=_("Adult price (₫)"), placeholder="850.000")
    child_price = AmountField(label=_("Child price (₫)"), placeholder="500.000")
    children_need_adult = forms.BooleanField(label=_("Children only with an adult"), required=False)
    booking_type = forms.ChoiceField(label=_("Booking"), choices=BookingType.choices)
    cutoff_hours = AmountField(label=_("Booking closes (hours before departure)"), placeholder="24")
    refund_rule = RefundTiersField(
        label=_("Cancellation rule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "7:100\n2:50"}),
        help_text=_("One tier a line: days before the departure, then the percent refunded (7:100)."),
    )


class StopForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=StopKind.choices)
    place = forms.CharField(label=_("Place"), required=False, max_length=20, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    minutes = AmountField(label=_("Planned minutes"), placeholder="60")
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DepartureForm(forms.Form):
    day = date_field(_("Day"), required=True)
    start = time_field(_("Departs at"))
    seats = AmountField(label=_("Vehicle seats"), placeholder="30")


class DepartureRecurrenceForm(forms.Form):
    freq = forms.ChoiceField(
        label=_("Repeats"),
        choices=[("weekly", _("Weekly, on the days chosen")), ("daily", _("Every day"))],
        initial="weekly",
        widget=forms.RadioSelect,
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_on = date_field(_("From"), required=True)
    until = date_field(_("Until"))
    count = AmountField(label=_("Or number of departures"), placeholder="8", required=False)
    start = time_field(_("Departs at"))
    seats = AmountField(label=_("Vehicle seats"), placeholder="30")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("freq") == "weekly" and not data.get("weekdays"):
            self.add_error("weekdays", _("Choose at least one weekday."))
        if data.get("until") is None and data.get("count") is None and "until" not in self.errors:
            self.add_error("until", _("Say until when the departures repeat, or how many there are."))
        return data


class TourPhotoForm(forms.Form):
    image = forms.ImageField(
        label=_("Photo"),
        error_messages={
            **REQUIRED,
            "invalid_image": _("The file is not an image: use a JPEG, PNG or WebP photo."),
        },
        help_text=_("JPEG, PNG or WebP, at most 8 MB. The first photo is the tour's main picture."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    credit = forms.CharField(label=_("Credit"), max_length=200, required=False)


class TourPhotoTextForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    credit = forms.CharField(label=_("Credit"), max_length=200, required=False)
