"""Forms of the producer's side of the design studio: they parse input; the design services hold the
rules (dates, amounts, shares, the subsidy's limit, the files' content)."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ocophub.common.forms import DATE_FORMATS, FIRST_DAY, LAST_DAY, parse_id

from .forms_files import MultipleFileField
from .models import BRIEF_MAX_LENGTH, COMMENT_MAX_LENGTH, TITLE_MAX_LENGTH, DesignKind, Payer

REQUIRED = {"required": _("Required.")}
# the most products the new-request form offers (a producer has a handful)
PRODUCT_CHOICES_LIMIT = 200
# the most commitments of one center the form offers, the newest first
COMMITMENT_CHOICES_LIMIT = 50


class AmountField(forms.CharField):
    """Whole đồng, typed as 3000000 or 3.000.000 (dots or spaces between thousands, an optional ₫)."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = str(value or "").strip().removesuffix("₫").removesuffix("đ").strip()
        if not text:
            return None
        if text.startswith("-"):
            raise forms.ValidationError(_("An amount cannot be negative."), code="negative")
        digits = text.replace(".", "").replace(" ", "").replace("\u00a0", "")
        if not (digits.isascii() and digits.isdecimal()) or len(digits) > 15:
            raise forms.ValidationError(_("Whole đồng, e.g. 3000000 or 3.000.000."), code="invalid")
        return int(digits)


class IdListField(forms.Field):
    """Record ids ticked in a list of checkboxes; the view looks them up (and so refuses a forged one)."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        ids = []
        for raw in values:
            parsed = parse_id(raw)
            if parsed is None:
                raise forms.ValidationError(_("Choose among the listed products."), code="invalid")
            ids.append(parsed)
        return list(dict.fromkeys(ids))

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(_("Choose at least one product."), code="required")


class RequestForm(forms.Form):
    """A producer's request for a design. `centers` are the working centers (a short list),
    `products` the producer's own products offered as checkboxes, `commitments` the chosen
    center's funding commitments."""

    center = forms.TypedChoiceField(label=_("Center"), coerce=int, error_messages=REQUIRED)
    kind = forms.ChoiceField(label=_("Kind of design"), choices=DesignKind.choices, error_messages=REQUIRED)
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("For example: a new label for the glazed jar."),
        error_messages={"max_length": _("At most %(limit_value)d characters.")},
    )
    products = IdListField(label=_("Products the design is for"), required=True)
    brief = forms.CharField(
        label=_("Brief"),
        max_length=BRIEF_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the design should achieve, for whom, what to keep, what to avoid."),
        error_messages={"max_length": _("At most %(limit_value)d characters.")},
    )
    wished_on = forms.DateField(
        label=_("Wished date"),
        input_formats=["%Y-%m-%d", *DATE_FORMATS],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("A date as dd/mm/yyyy."), "required": _("Required.")},
    )
    budget = AmountField(
        label=_("Budget (₫)"),
        help_text=_("Whole đồng, e.g. 3.000.000."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages=REQUIRED,
    )
    payer = forms.ChoiceField(
        label=_("Who pays"),
        choices=Payer.choices,
        initial=Payer.PRODUCER,
        widget=forms.RadioSelect,
        error_messages={**REQUIRED, "invalid_choice": _("Choose one of the options.")},
    )
    subsidy_percent = forms.IntegerField(
        label=_("Subsidy share (%)"),
        required=False,
        help_text=_("When both pay: the subsidy's share; the producer pays the rest."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 99}),
        error_messages={"invalid": _("A whole number of per cent.")},
    )
    commitment = forms.CharField(
        label=_("Funding commitment"),
        required=False,
        widget=forms.Select,
        help_text=_("The center's funding the subsidy is drawn on."),
    )
    references = MultipleFileField(
        label=_("Reference files"),
        required=False,
        help_text=_(
            "Photos of the current label or package, examples you like (JPEG, PNG, WebP, PDF, SVG, AI, PSD)."
        ),
    )

    def __init__(
        self,
        *args: Any,
        centers: list[tuple[int, str]],
        products: list[tuple[int, str]],
        commitments: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        center_field = self.fields["center"]
        assert isinstance(center_field, forms.ChoiceField)
        center_field.choices = [("", _("— choose a center —")), *centers]
        center_field.error_messages["invalid_choice"] = _("Choose one of the listed centers.")
        self.fields["kind"].error_messages["invalid_choice"] = _("Choose one of the options.")
        self.fields["products"].widget.choices = products
        commitment_widget = self.fields["commitment"].widget
        commitment_widget.choices = [("", _("— none —")), *commitments]

    def clean_wished_on(self) -> dt.date | None:
        day = self.cleaned_data.get("wished_on")
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(_("A date between 2000 and 2100."), code="range")
        return day

    def clean_commitment(self) -> int | None:
        raw = self.cleaned_data.get("commitment") or ""
        if not raw:
            return None
        value = parse_id(raw)
        if value is None:
            raise forms.ValidationError(_("Choose one of the options."), code="invalid")
        return value


class ApproveForm(forms.Form):
    accept_terms = forms.BooleanField(
        label=_(
            "I accept the usage terms: the producer may use the design freely; the center may show it "
            "in its portfolio unless I decline below."
        ),
        required=False,
    )
    portfolio_allowed = forms.BooleanField(
        label=_("The center may show this design in its portfolio"), required=False, initial=True
    )


class ChangesForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("At most %(limit_value)d characters.")},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you withdraw the request"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("At most %(limit_value)d characters.")},
    )


class PortfolioForm(forms.Form):
    portfolio_allowed = forms.BooleanField(
        label=_("The center may show this design in its portfolio"), required=False
    )


class ProductDesignForm(forms.Form):
    """One of the request's products, label or package, and one of the final images."""

    product = forms.TypedChoiceField(label=_("Product"), coerce=int, error_messages=REQUIRED)
    kind = forms.ChoiceField(
        label=_("Use it as"),
        choices=[
            (DesignKind.LABEL, DesignKind.LABEL.label),
            (DesignKind.PACKAGING, DesignKind.PACKAGING.label),
        ],
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    file = forms.TypedChoiceField(
        label=_("Image"), coerce=int, widget=forms.RadioSelect, required=False, empty_value=None
    )

    def __init__(
        self, *args: Any, products: list[tuple[int, str]], images: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("product", "kind", "file"):
            self.fields[name].error_messages["invalid_choice"] = _("Choose one of the options.")
        product_field = self.fields["product"]
        file_field = self.fields["file"]
        assert isinstance(product_field, forms.ChoiceField) and isinstance(file_field, forms.ChoiceField)
        product_field.choices = products
        file_field.choices = images
        if images and not self.is_bound:
            self.initial.setdefault("file", images[0][0])


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("At most %(limit_value)d characters.")},
    )
