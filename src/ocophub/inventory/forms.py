"""Forms of the stock and agreement pages: they parse input; the services hold the rules."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocophub.catalogue import selectors as catalogue
from ocophub.catalogue.models import Producer, Product, ProductStatus
from ocophub.centers.models import Center
from ocophub.common.forms import date_field

from .models import MovementKind

PERCENT_STEP = Decimal("0.01")


def _quantity_field(label: Any) -> forms.IntegerField:
    # range checks live in the service (check_quantity) so that pages and the API say the same thing
    return forms.IntegerField(
        label=label,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("A whole number."), "required": _("Required.")},
    )


class ProductChoiceField(forms.ModelChoiceField):
    """A product shown with its producer."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.producer.name}"


class ReceiveForm(forms.Form):
    """Goods arriving from a producer that has an active agreement with the center."""

    product_query = forms.CharField(
        label=_("Find the product"),
        required=False,
        max_length=100,
        help_text=_("Part of its name, or its GTIN."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    # picked among the matches of the query (never rendered as a list of every product); the queryset
    # (the receivable products) checks the choice again on the server
    product = ProductChoiceField(
        label=_("Product"),
        queryset=Product.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Not a published product of a producer with an active agreement here."),
            "required": _("Find the product and choose it among the matches."),
        },
    )
    quantity = _quantity_field(_("Quantity"))
    lot_code = forms.CharField(
        label=_("Lot code"), max_length=40, required=False, help_text=_("Empty for goods without dates.")
    )
    produced_on = date_field(_("Produced on"))
    expires_on = date_field(_("Expires on"))

    def __init__(self, *args: Any, products: QuerySet[Product], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].help_text = _("Required for food, drinks and medicinal herbs.")
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = products
        self.products = products

    def product_matches(self) -> list[Product]:
        """The products to offer: the receivable ones matching what was typed, with the one chosen."""
        term = str(self.data.get("product_query", "") if self.is_bound else "")
        matches = catalogue.products_matching(term[:100], among=self.products)
        chosen = self.cleaned_data.get("product") if hasattr(self, "cleaned_data") else None
        if chosen is not None and chosen not in matches:
            matches.insert(0, chosen)
        return matches


def receivable_products(producer_ids: QuerySet[Any]) -> QuerySet[Product]:
    return (
        Product.objects.filter(status=ProductStatus.PUBLISHED, producer_id__in=producer_ids)
        .select_related("producer")
        .order_by("folded_name", "pk")
    )


class AdjustForm(forms.Form):
    delta = forms.IntegerField(
        label=_("Change (+/−)"),
        error_messages={"invalid": _("A whole number, negative to take away."), "required": _("Required.")},
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class TransferForm(forms.Form):
    to_center = forms.ModelChoiceField(
        label=_("To center"),
        queryset=Center.objects.all(),
        error_messages={"invalid_choice": _("Unknown center."), "required": _("Required.")},
    )
    quantity = _quantity_field(_("Quantity"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ReturnForm(forms.Form):
    quantity = _quantity_field(_("Quantity"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class AgreementForm(forms.Form):
    """The commission is typed as a percentage (20 or 12,5) and stored as a rate (0.2000, 0.1250)."""

    producer_query = forms.CharField(
        label=_("Find the producer"),
        required=False,
        max_length=100,
        help_text=_("Part of its name, or its registration number."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    # picked among the matches of the query (never rendered as a list of every producer)
    producer = forms.ModelChoiceField(
        label=_("Producer"),
        queryset=Producer.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Unknown producer."),
            "required": _("Find the producer and choose it among the matches."),
        },
    )
    commission_rate = forms.CharField(
        label=_("Commission (%)"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "20"}),
        help_text=_("Share of the sale price the center keeps, from 0 to 50%."),
        error_messages={"required": _("Required.")},
    )
    starts_on = date_field(_("Starts on"), required=True)
    ends_on = date_field(_("Ends on"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def producer_matches(self) -> list[Producer]:
        """The producers to offer: those matching what was typed, with the one already chosen."""
        term = str(self.data.get("producer_query", "") if self.is_bound else "")
        matches = catalogue.producers_matching(term[:100])
        chosen = self.cleaned_data.get("producer") if hasattr(self, "cleaned_data") else None
        if chosen is not None and chosen not in matches:
            matches.insert(0, chosen)
        return matches

    def clean_commission_rate(self) -> Decimal:
        raw = self.cleaned_data["commission_rate"].strip().replace(",", ".").rstrip("%").strip()
        try:
            percent = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(_("A percentage such as 20 or 12,5.")) from None
        if not percent.is_finite() or not 0 <= percent <= 100:
            raise forms.ValidationError(_("A percentage such as 20 or 12,5."))
        if percent != percent.quantize(PERCENT_STEP):
            raise forms.ValidationError(_("A percentage with at most two decimals."))
        return (percent / 100).quantize(Decimal("0.0001"))


class AgreementEndForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class LedgerFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    product = forms.TypedChoiceField(label=_("Product"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, products: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("All kinds")), *MovementKind.choices]
        product = self.fields["product"]
        assert isinstance(product, forms.ChoiceField)
        product.choices = [("", _("All products")), *products]
