"""Forms of the work pages of centers: they parse input; the services hold the rules."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocophub.accounts import permissions
from ocophub.accounts.phone import normalize_phone
from ocophub.common.forms import date_field
from ocophub.common.text import fold
from ocophub.places import selectors as places
from ocophub.places.models import AdministrativeUnit, Era, Level

from .models import Criterion, SpaceKind, Status
from .services import unit_2025_candidates

# a search never offers more communes than this; typing more narrows them
COMMUNE_MATCHES = 20
WEEKDAY_NAMES = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
MAX_PHOTO_CAPTION = 200


def communes_in_scope(user: Any) -> QuerySet[AdministrativeUnit]:
    """The communes and wards (both systems) in which the user may register a center."""
    qs = AdministrativeUnit.objects.filter(level=Level.COMMUNE).select_related("parent")
    if permissions.is_city_admin(user):
        return qs
    return qs.filter(places.units_q(permissions.officer_unit_ids(user), prefix=""))


def communes_matching(user: Any, term: str) -> list[AdministrativeUnit]:
    """Communes in the user's scope whose name contains the typed text (without diacritics); the
    units in force today first, then the old ones."""
    folded = fold(term[:100])
    if not folded:
        return []
    qs = communes_in_scope(user).filter(folded_name__contains=folded)
    return list(qs.order_by("era", "folded_name", "code", "-valid_to")[:COMMUNE_MATCHES])


def commune_label(unit: AdministrativeUnit) -> str:
    if unit.era == Era.CURRENT:
        return str(_("%(name)s (since 01/07/2025)") % {"name": unit.name})
    district = unit.parent.name if unit.parent_id and unit.parent else ""
    return str(
        _("%(name)s, %(district)s (until %(end)s)")
        % {
            "name": unit.name,
            "district": district,
            "end": f"{unit.valid_to:%d/%m/%Y}" if unit.valid_to else "",
        }
    )


class DecimalText(forms.DecimalField):
    """A decimal typed with a comma or a point (120,5 or 120.5)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)


def _area(label: Any, max_digits: int = 8) -> DecimalText:
    return DecimalText(
        label=label,
        required=False,
        max_digits=max_digits,
        decimal_places=1,
        min_value=Decimal(0),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("A number of m², such as 120 or 120,5.")},
    )


SPACE_FIELDS = {kind: f"space_{kind}" for kind in SpaceKind.values}


class CenterForm(forms.Form):
    """A center's record as a unit officer or the city keeps it."""

    name = forms.CharField(label=_("Name"), max_length=200, error_messages={"required": _("Required.")})
    commune_query = forms.CharField(
        label=_("Find the commune or ward"),
        required=False,
        max_length=100,
        help_text=_("Part of its name, with or without diacritics."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    # picked among the matches of the query (never a list of every commune); the scope is checked again
    commune = forms.ModelChoiceField(
        label=_("Commune or ward"),
        queryset=AdministrativeUnit.objects.filter(level=Level.COMMUNE).select_related("parent"),
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Unknown commune."),
            "required": _("Find the commune and choose it among the matches."),
        },
    )
    unit_2025 = forms.ModelChoiceField(
        label=_("Unit since 01/07/2025"),
        queryset=AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Needed when the old commune was split in 2025: the part the site is in."),
        error_messages={"invalid_choice": _("Unknown unit.")},
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    operating_entity = forms.CharField(label=_("Operating entity"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("An e-mail address such as ten@vi-du.vn.")},
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("A web address such as https://vi-du.vn.")},
    )
    floor_area_m2 = _area(_("Floor area (m²)"), max_digits=9)
    space_display_sale = _area(SpaceKind.DISPLAY_SALE.label)
    space_transactions = _area(SpaceKind.TRANSACTIONS.label)
    space_demonstration = _area(SpaceKind.DEMONSTRATION.label)
    space_photo = _area(SpaceKind.PHOTO.label)
    description = forms.CharField(
        label=_("Description"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=400,
        required=False,
        help_text=_("The decision or document the record comes from."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_contact_phone(self) -> str:
        raw = self.cleaned_data["contact_phone"].strip()
        if not raw:
            return ""
        phone = normalize_phone(raw)
        if phone is None:
            raise forms.ValidationError(_("A Vietnamese phone number such as 024 3874 1234."))
        return phone

    def clean_commune(self) -> AdministrativeUnit:
        commune = self.cleaned_data["commune"]
        if not permissions.can_create_center_in(self.user, commune):
            raise forms.ValidationError(_("This commune is outside your units."))
        return commune

    def clean_unit_2025(self) -> AdministrativeUnit | None:
        unit = self.cleaned_data.get("unit_2025")
        if unit is not None and not permissions.can_create_center_in(self.user, unit):
            raise forms.ValidationError(_("This unit is outside your units."))
        return unit

    def spaces(self) -> dict[str, Decimal | None]:
        return {kind: self.cleaned_data.get(name) for kind, name in SPACE_FIELDS.items()}

    def profile(self) -> dict[str, Any]:
        """The fields `center_create` and `center_update` take as they are."""
        names = [
            "name",
            "commune",
            "address",
            "operating_entity",
            "contact_name",
            "contact_phone",
            "contact_email",
            "website",
            "floor_area_m2",
            "description",
            "source",
        ]
        return {name: self.cleaned_data[name] for name in names}

    def commune_matches(self) -> list[AdministrativeUnit]:
        """The communes to offer: those matching what was typed, with the one chosen."""
        term = str(self.data.get("commune_query", "") if self.is_bound else "")
        matches = communes_matching(self.user, term)
        chosen = self.chosen_commune()
        if chosen is not None and chosen not in matches:
            matches.insert(0, chosen)
        return matches

    def chosen_commune(self) -> AdministrativeUnit | None:
        if hasattr(self, "cleaned_data") and self.cleaned_data.get("commune") is not None:
            return self.cleaned_data["commune"]
        initial = self.initial.get("commune")
        return initial if isinstance(initial, AdministrativeUnit) else None

    def unit_choices(self) -> list[AdministrativeUnit]:
        """The new units the chosen commune went into, when there are several to choose from."""
        commune = self.chosen_commune()
        if commune is None:
            return []
        candidates = unit_2025_candidates(commune)
        return candidates if len(candidates) > 1 else []


class TransitionForm(forms.Form):
    """A move along the life-cycle; recognition carries the decision that made it."""

    to = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    effective_on = date_field(_("Effective on"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = date_field(_("Decision date"))
    issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)
    score = DecimalText(
        label=_("Score"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        error_messages={"invalid": _("A score from 0 to 100.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to") == Status.RECOGNISED:
            if not (data.get("decision_number") or "").strip():
                self.add_error("decision_number", _("Required for recognition."))
            if not (data.get("issuer") or "").strip():
                self.add_error("issuer", _("Required for recognition."))
            if data.get("decision_date") is None and "decision_date" not in self.errors:
                self.add_error("decision_date", _("Required for recognition."))
        return data


class HoursForm(forms.Form):
    """One opening period per weekday, as HH:MM; both empty is a closed day."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, name in enumerate(WEEKDAY_NAMES):
            for part, label in (("opens", _("opens")), ("closes", _("closes"))):
                self.fields[f"{part}_{day}"] = forms.TimeField(
                    label=f"{name} — {label}",
                    required=False,
                    input_formats=["%H:%M"],
                    widget=forms.TimeInput(
                        format="%H:%M",
                        attrs={"placeholder": "08:00", "inputmode": "numeric", "autocomplete": "off"},
                    ),
                    error_messages={"invalid": _("A time as HH:MM, such as 08:30.")},
                )

    def days(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(name, self[f"opens_{day}"], self[f"closes_{day}"]) for day, name in enumerate(WEEKDAY_NAMES)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in range(7):
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            if f"opens_{day}" in self.errors or f"closes_{day}" in self.errors:
                continue
            if (opens is None) != (closes is None):
                missing = f"opens_{day}" if opens is None else f"closes_{day}"
                self.add_error(missing, _("Give both times, or neither for a closed day."))
            elif opens is not None and closes is not None and closes <= opens:
                self.add_error(f"closes_{day}", _("Closing time must be after opening time."))
        return data

    def hours(self) -> list[tuple[int, dt.time, dt.time]]:
        result = []
        for day in range(7):
            opens, closes = self.cleaned_data.get(f"opens_{day}"), self.cleaned_data.get(f"closes_{day}")
            if opens is not None and closes is not None:
                result.append((day, opens, closes))
        return result


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 8 MB."),
        error_messages={"required": _("Choose a photo."), "empty": _("The file is empty.")},
    )
    caption = forms.CharField(label=_("Caption"), max_length=MAX_PHOTO_CAPTION, required=False)


class ScoreSheetForm(forms.Form):
    """A recognition score sheet: the points of each criterion, within its maximum."""

    assessed_on = date_field(_("Assessed on"), required=True)
    notes = forms.CharField(
        label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.code}"] = DecimalText(
                label=f"{criterion.name} (≤ {criterion.max_points.normalize():f})",
                required=False,
                max_digits=5,
                decimal_places=2,
                min_value=Decimal(0),
                max_value=criterion.max_points,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                error_messages={"invalid": _("A number of points, such as 15 or 7,5.")},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(
            data.get(f"score_{criterion.code}") is not None for criterion in self.criteria
        ):
            raise forms.ValidationError(_("Give the points of at least one criterion."))
        return data

    def scores(self) -> dict[str, Decimal]:
        return {
            criterion.code: self.cleaned_data[f"score_{criterion.code}"]
            for criterion in self.criteria
            if self.cleaned_data.get(f"score_{criterion.code}") is not None
        }
