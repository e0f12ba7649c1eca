"""Forms of the funding pages: they parse input; the services hold the rules."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocophub.centers.models import Center
from ocophub.common.forms import date_field

from .models import FundingSource
from .services import MAX_AMOUNT

REQUIRED = {"required": _("Required.")}


class AmountField(forms.Field):
    """Whole đồng as people type them: 150000000, 150.000.000 or 150 000 000."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "30"}),
            error_messages=REQUIRED,
            **kwargs,
        )

    def to_python(self, value: Any) -> Any:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        if len(text) > 30:
            raise forms.ValidationError(
                _("At most %(max)s ₫.") % {"max": f"{MAX_AMOUNT:,}".replace(",", ".")}
            )
        digits = text.replace(".", "").replace(" ", "").replace("\u00a0", "")
        if not (digits.isascii() and digits.isdecimal()):
            if digits.startswith("-"):
                raise forms.ValidationError(_("Must be more than 0."))
            raise forms.ValidationError(_("A whole number of đồng, e.g. 150.000.000."))
        amount = int(digits)
        if amount <= 0:
            raise forms.ValidationError(_("Must be more than 0."))
        if amount > MAX_AMOUNT:
            raise forms.ValidationError(
                _("At most %(max)s ₫.") % {"max": f"{MAX_AMOUNT:,}".replace(",", ".")}
            )
        return amount


class CommitmentForm(forms.Form):
    center = forms.ModelChoiceField(
        label=_("Center"),
        queryset=Center.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("Not a center of your unit.")},
    )
    source = forms.ChoiceField(
        label=_("Source of funds"),
        choices=FundingSource.choices,
        error_messages={**REQUIRED, "invalid_choice": _("Unknown funding source.")},
    )
    amount = AmountField(label=_("Amount (₫)"))
    committed_on = date_field(_("Committed on"), required=True)
    document = forms.CharField(label=_("Document reference"), max_length=200, error_messages=REQUIRED)
    funder = forms.CharField(label=_("Funder"), max_length=200, required=False)

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        # the centers of a unit are a handful (the whole city a few dozen): a plain list
        field.queryset = centers


class DisbursementForm(forms.Form):
    amount = AmountField(label=_("Amount (₫)"))
    disbursed_on = date_field(_("Disbursed on"), required=True)
    document = forms.CharField(label=_("Document reference"), max_length=200, error_messages=REQUIRED)
