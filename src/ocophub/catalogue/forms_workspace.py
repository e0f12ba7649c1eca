"""Forms of the producer workspace: they parse input; the catalogue services hold the rules."""

from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocophub.common.errors import DomainError
from ocophub.common.images import photo_check

from .gtin import gtin_is_valid
from .models import Product, ProductStatus, TaxonomyNode

MAX_PRICE = 10**12  # the API's bound: a list price above a thousand billion đồng is a typing slip
CURRENT_RULE_SET = "148"  # new products are classed in the taxonomy of Decision 148/QĐ-TTg
# the name an uploaded photo must end with for the format its content has
PHOTO_SUFFIXES = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}

REQUIRED = {"required": _("Required.")}


def _text(label: Any, max_length: int, *, rows: int = 0, **kwargs: Any) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=widget,
        error_messages={"max_length": _("At most %(limit_value)d characters.")},
        **kwargs,
    )


class ProducerProfileForm(forms.Form):
    """What a producer's members tell buyers about it; its name, kind and commune are the officers'."""

    representative = _text(_("Representative"), 120)
    address = _text(_("Address"), 300)
    phone = _text(_("Phone"), 30)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Not an e-mail address."), "max_length": _("Too long.")},
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Not a web address."), "max_length": _("Too long.")},
    )
    story = _text(_("The maker's story"), 20000, rows=8, help_text=_("Paragraphs separated by a blank line."))


class PriceField(forms.CharField):
    """Whole đồng, typed as 150000 or 150.000 (dots or spaces between thousands, an optional ₫)."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = str(value or "").strip().removesuffix("₫").strip()
        if not text:
            return None
        if text.startswith("-"):
            raise forms.ValidationError(_("A price cannot be negative."), code="negative")
        digits = text.replace(".", "").replace(" ", "").replace("\u00a0", "")
        if not (digits.isascii() and digits.isdecimal()) or len(digits) > 15:
            raise forms.ValidationError(_("Whole đồng, e.g. 150000 or 150.000."), code="invalid")
        price = int(digits)
        if price > MAX_PRICE:
            raise forms.ValidationError(_("At most 1.000.000.000.000 ₫."), code="too_large")
        return price


class TaxonomyChoiceField(forms.ModelChoiceField):
    """A node shown under its group: "—" per level below the group."""

    def label_from_instance(self, obj: Any) -> str:
        depth = {"group": 0, "subgroup": 1}.get(obj.level, 2)
        return f"{'— ' * depth}{obj.name}"


class ProductForm(forms.Form):
    name = forms.CharField(
        label=_("Product name"),
        min_length=2,
        max_length=200,
        error_messages={
            **REQUIRED,
            "min_length": _("At least 2 characters."),
            "max_length": _("At most %(limit_value)d characters."),
        },
    )
    taxonomy = TaxonomyChoiceField(
        label=_("Product group"),
        queryset=TaxonomyNode.objects.none(),
        required=False,
        empty_label=_("(not classed yet)"),
        error_messages={"invalid_choice": _("Not a group of the OCOP taxonomy.")},
    )
    list_price = PriceField(
        label=_("List price (₫)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    unit = _text(_("Unit of sale"), 40, help_text=_("e.g. bộ, chiếc, hộp 500 g"))
    gtin = forms.CharField(
        label=_("GTIN / barcode"),
        required=False,
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("8, 12, 13 or 14 digits; empty when the product has none."),
        error_messages={"max_length": _("At most 14 digits.")},
    )
    packaging = _text(_("Packaging"), 200)
    description = _text(_("Description"), 20000, rows=6)
    story = _text(_("Story"), 20000, rows=6)
    materials = _text(_("Materials or ingredients"), 5000, rows=3)
    # the English site shows these when they are filled, the Vietnamese texts otherwise
    name_en = _text(_("Name in English"), 200)
    unit_en = _text(_("Unit of sale in English"), 40, help_text=_("e.g. set, piece, 500 g box"))
    description_en = _text(_("Description in English"), 20000, rows=4)

    def __init__(
        self,
        *args: Any,
        current: TaxonomyNode | None = None,
        product_pk: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.product_pk = product_pk
        nodes = Q(rule_set__code=CURRENT_RULE_SET)
        if current is not None:  # a product classed under an older rule set keeps its node
            nodes |= Q(pk=current.pk)
        field = self.fields["taxonomy"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = TaxonomyNode.objects.filter(nodes).order_by("rule_set__valid_from", "position", "pk")

    def clean_gtin(self) -> str | None:
        gtin = (self.cleaned_data.get("gtin") or "").strip()
        if not gtin:
            return None
        if not gtin_is_valid(gtin):
            raise forms.ValidationError(
                _("Not a valid GTIN: 8, 12, 13 or 14 digits with a correct check digit.")
            )
        clash = Product.objects.filter(gtin=gtin)
        if self.product_pk is not None:
            clash = clash.exclude(pk=self.product_pk)
        if clash.exists():
            raise forms.ValidationError(_("Another product already has this GTIN."))
        return gtin


class PhotoForm(forms.Form):
    """One photo: JPEG, PNG or WebP, at most 8 MB, its name ending as its content is."""

    image = forms.FileField(
        label=_("Photo"),
        error_messages={**REQUIRED, "empty": _("The file is empty."), "invalid": _("No file was sent.")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at most 8 MB."),
    )
    caption = _text(_("Caption"), 200)

    def clean_image(self) -> "UploadedFile[Any]":
        from PIL import Image

        image = self.cleaned_data["image"]
        try:
            photo_check(image)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
        with Image.open(image) as picture:
            kind = picture.format or ""
        image.seek(0)
        suffix = PurePosixPath(image.name or "").suffix.lower()
        if suffix not in PHOTO_SUFFIXES.get(kind, set()):
            raise forms.ValidationError(
                _("The file's name does not match its content: a %(kind)s image must end in %(suffixes)s.")
                % {"kind": kind, "suffixes": ", ".join(sorted(PHOTO_SUFFIXES.get(kind, set())))}
            )
        return image


STATUS_CHOICES = [("", _("All statuses")), *ProductStatus.choices]


class ProductFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("At most %(limit_value)d characters.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=STATUS_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Unknown status.")},
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(
        choices=ProductStatus.choices,
        error_messages={**REQUIRED, "invalid_choice": _("Unknown status.")},
    )
