"""Forms of a center's event pages: they parse what staff type (dd/mm/yyyy, HH:MM, đồng with dots);
the services hold the rules (a session in the past, ending before it starts, no seats, a negative
price, too many recurrences) and say why."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocophub.catalogue.models import Producer, Product, ProductStatus
from ocophub.common.forms import date_field

from .models import EVENT_LANGUAGES, EventKind

REQUIRED = {"required": _("Required.")}
AMOUNT_MAX_LENGTH = 20
# how many featured products (or producers) an event may name
MAX_FEATURED = 30
# the refund rule a session gets unless staff choose another
REFUND_RULES: dict[str, list[dict[str, int]]] = {
    "standard": [{"days": 7, "percent": 100}, {"days": 2, "percent": 50}],
    "full": [{"days": 1, "percent": 100}],
    "none": [],
}


def refund_choices() -> list[tuple[str, Any]]:
    return [
        ("standard", _("All back 7 days or more before, half from 2 days before, nothing later")),
        ("full", _("All back until the day before")),
        ("none", _("No refund")),
    ]


def rule_key(rule: Any) -> str:
    """The choice that matches a session's refund rule ("standard" when none does)."""
    for key, tiers in REFUND_RULES.items():
        if rule == tiers:
            return key
    return "standard"


class AmountField(forms.Field):
    """A whole number as people type it (2500000, 2.500.000 or 2 500 000). The sign is kept so that
    the service says why a negative number is refused."""

    def __init__(self, *, placeholder: str = "150.000", **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", REQUIRED)
        super().__init__(
            widget=forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "off",
                    "maxlength": str(AMOUNT_MAX_LENGTH),
                    "placeholder": placeholder,
                }
            ),
            **kwargs,
        )

    def to_python(self, value: Any) -> Any:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        digits = text.replace(".", "").replace(" ", "").replace("\u00a0", "").replace(",", "")
        negative = digits.startswith("-")
        digits = digits.removeprefix("-")
        if not (digits.isascii() and digits.isdecimal()) or len(digits) > 12:
            raise forms.ValidationError(_("A whole number, e.g. 150.000."))
        return -int(digits) if negative else int(digits)


def time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%Hh%M", "%H.%M"],
        widget=forms.TimeInput(
            attrs={"placeholder": "08:30", "inputmode": "numeric", "autocomplete": "off"}, format="%H:%M"
        ),
        error_messages={"invalid": _("A time as HH:MM, e.g. 08:30."), "required": _("Required.")},
    )


class FeaturedField(forms.ModelMultipleChoiceField):
    """Ids picked from a search (never a list of every row): checked boxes of the chosen ones."""

    widget = forms.MultipleHiddenInput

    def clean(self, value: Any) -> Any:
        if value and len(value) > MAX_FEATURED:
            raise forms.ValidationError(_("At most %(n)s.") % {"n": MAX_FEATURED})
        return super().clean(value)


def featured_products() -> QuerySet[Product]:
    return Product.objects.filter(status=ProductStatus.PUBLISHED)


def featured_producers() -> QuerySet[Producer]:
    return Producer.objects.filter(is_active=True)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices, error_messages=REQUIRED)
    title = forms.CharField(label=_("Title"), max_length=200, error_messages=REQUIRED)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    address = forms.CharField(
        label=_("Address (when not at the center)"),
        required=False,
        max_length=300,
        help_text=_("Leave empty when the event is held at the center itself."),
    )
    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "21.0285"}),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "105.8542"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=list(EVENT_LANGUAGES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    products = FeaturedField(label=_("Featured products"), queryset=Product.objects.none(), required=False)
    producers = FeaturedField(label=_("Featured producers"), queryset=Producer.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = featured_products()  # type: ignore[attr-defined]
        self.fields["producers"].queryset = featured_producers()  # type: ignore[attr-defined]


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Photo"), error_messages=REQUIRED)
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=REQUIRED,
        help_text=_("The registered parties are told."),
    )


class SessionForm(forms.Form):
    """One session: its day, start and end, seats, price per person, what participants make."""

    day = date_field(_("Day"), required=True)
    start = time_field(_("Starts at"))
    end = time_field(_("Ends at"))
    capacity = AmountField(label=_("Seats"), placeholder="20")
    price = AmountField(label=_("Price per person (₫)"), placeholder="0", required=False)
    makes = forms.CharField(
        label=_("What each participant makes and takes home"), required=False, max_length=300
    )
    refund_rule = forms.ChoiceField(label=_("Cancellation rule"), choices=refund_choices, initial="standard")

    def times(self) -> tuple[dt.date, dt.time, dt.time]:
        data = self.cleaned_data
        return data["day"], data["start"], data["end"]


WEEKDAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]


class RecurrenceForm(forms.Form):
    """Sessions repeating daily or on chosen weekdays, from a day until a day or for a count."""

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
    count = AmountField(label=_("Or number of sessions"), placeholder="8", required=False)
    start = time_field(_("Starts at"))
    end = time_field(_("Ends at"))
    capacity = AmountField(label=_("Seats"), placeholder="20")
    price = AmountField(label=_("Price per person (₫)"), placeholder="0", required=False)
    makes = forms.CharField(
        label=_("What each participant makes and takes home"), required=False, max_length=300
    )
    refund_rule = forms.ChoiceField(label=_("Cancellation rule"), choices=refund_choices, initial="standard")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("freq") == "weekly" and not data.get("weekdays"):
            self.add_error("weekdays", _("Choose at least one weekday."))
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("The session must end after it starts."))
        if data.get("until") is None and data.get("count") is None and "until" not in self.errors:
            self.add_error("until", _("Say until when the sessions repeat, or how many there are."))
        return data


class SessionEditForm(forms.Form):
    capacity = AmountField(label=_("Seats"), placeholder="20")
    price = AmountField(label=_("Price per person (₫)"), placeholder="0", required=False)
    makes = forms.CharField(
        label=_("What each participant makes and takes home"), required=False, max_length=300
    )
    refund_rule = forms.ChoiceField(label=_("Cancellation rule"), choices=refund_choices)


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150, error_messages=REQUIRED)
    message = forms.CharField(
        label=_("Text of the message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=REQUIRED,
    )


class PaymentForm(forms.Form):
    reference = forms.CharField(
        label=_("Transfer reference"),
        required=False,
        max_length=100,
        help_text=_("The bank's reference of the transfer, if any."),
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=60,
        error_messages={"required": _("Enter or scan a ticket code.")},
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "go",
                "id": "checkin-code",
            }
        ),
    )
