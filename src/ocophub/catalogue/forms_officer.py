"""Forms of the unit officers' producer and certificate pages: they parse input; the services hold the
rules. Communes and craft villages are picked among the matches of a search within the officer's units,
and the querysets of the choice fields check the pick again on the server."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ocophub.common.dates import local_today
from ocophub.common.forms import date_field
from ocophub.common.text import fold
from ocophub.places.models import AdministrativeUnit, CraftVillage

from .models import DecidingLevel, Producer, ProducerKind, Product

MATCHES = 20
REQUIRED = {"required": _("Required.")}


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        parent = getattr(obj, "parent", None)
        return f"{obj.name} — {parent.name}" if parent is not None else str(obj.name)


class ProducerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, error_messages=REQUIRED)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ProducerKind.choices,
        error_messages={**REQUIRED, "invalid_choice": _("Unknown kind of producer.")},
    )
    commune_query = forms.CharField(
        label=_("Find the commune or ward"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    commune = UnitChoiceField(
        label=_("Commune or ward"),
        queryset=AdministrativeUnit.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Find the commune and choose it among the matches."),
            "invalid_choice": _("Not a commune or ward of your unit."),
        },
    )
    village_query = forms.CharField(
        label=_("Find the craft village"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    craft_village = forms.ModelChoiceField(
        label=_("Craft village"),
        required=False,
        queryset=CraftVillage.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Not a craft village of your unit.")},
    )
    registration_number = forms.CharField(
        label=_("Registration or tax number"), max_length=30, required=False
    )
    representative = forms.CharField(label=_("Representative"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Not an e-mail address.")},
    )

    def __init__(
        self,
        *args: Any,
        communes: QuerySet[AdministrativeUnit],
        villages: QuerySet[CraftVillage],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        village = self.fields["craft_village"]
        assert isinstance(commune, forms.ModelChoiceField) and isinstance(village, forms.ModelChoiceField)
        commune.queryset = communes
        village.queryset = villages
        self.communes, self.villages = communes, villages

    def _chosen(self, name: str) -> Any:
        if hasattr(self, "cleaned_data") and self.cleaned_data.get(name) is not None:
            return self.cleaned_data[name]
        return self.initial.get(name)

    def commune_matches(self) -> list[AdministrativeUnit]:
        term = str(self.data.get("commune_query", "") if self.is_bound else "").replace("\x00", "")[:100]
        matches = communes_matching(self.communes, term)
        chosen = self._chosen("commune")
        if isinstance(chosen, AdministrativeUnit) and chosen not in matches:
            matches.insert(0, chosen)
        return matches

    def village_matches(self) -> list[CraftVillage]:
        term = str(self.data.get("village_query", "") if self.is_bound else "").replace("\x00", "")[:100]
        matches = villages_matching(self.villages, term)
        chosen = self._chosen("craft_village")
        if isinstance(chosen, CraftVillage) and chosen not in matches:
            matches.insert(0, chosen)
        return matches


def communes_matching(communes: QuerySet[AdministrativeUnit], term: str) -> list[AdministrativeUnit]:
    folded = fold(term)
    if not folded:
        return []
    today = local_today()
    in_force = communes.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        folded_name__contains=folded,
    )
    return list(in_force.order_by("folded_name", "pk")[:MATCHES])


def villages_matching(villages: QuerySet[CraftVillage], term: str) -> list[CraftVillage]:
    folded = fold(term)
    if not folded:
        return []
    return list(
        villages.filter(folded_name__contains=folded)
        .select_related("commune")
        .order_by("folded_name", "pk")[:MATCHES]
    )


class CertificateForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("Not a product of this producer.")},
    )
    stars = forms.TypedChoiceField(
        label=_("Stars"),
        choices=[(3, "3★"), (4, "4★"), (5, "5★")],
        coerce=int,
        error_messages={**REQUIRED, "invalid_choice": _("Only 3 to 5 stars are certified.")},
    )
    deciding_level = forms.ChoiceField(
        label=_("Deciding level"),
        choices=DecidingLevel.choices,
        error_messages={**REQUIRED, "invalid_choice": _("Unknown level.")},
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, error_messages=REQUIRED)
    decision_date = date_field(_("Decision date"), required=True)
    issuer = forms.CharField(label=_("Issuer"), max_length=200, error_messages=REQUIRED)

    def __init__(self, *args: Any, producer: Producer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)
        # a producer has a handful of products: a plain list of its own
        field.queryset = Product.objects.filter(producer=producer).order_by("folded_name", "pk")


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, error_messages=REQUIRED)
