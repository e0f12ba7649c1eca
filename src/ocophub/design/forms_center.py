"""Forms of a center's moves on a design request: they parse input; the services hold the rules
(a past due date, a negative price, a subsidy above what is left, a file refused by its content)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocophub.accounts.models import Role, RoleGrant, User
from ocophub.common.forms import date_field

from .files import MAX_FILES_PER_UPLOAD
from .forms_files import MultipleFileField
from .models import COMMENT_MAX_LENGTH, RequestState

REQUIRED = {"required": _("Required.")}
# a price as people type it: 2500000, 2.500.000 or 2 500 000 (at most 12 digits and separators)
PRICE_MAX_LENGTH = 20


def center_designers(center_id: int) -> QuerySet[User]:
    """Who may be given a request of the center: its live designers and managers (a short list)."""
    holders = (
        RoleGrant.objects.live()
        .filter(scope_id=center_id, role__in=[Role.DESIGNER, Role.CENTER_MANAGER])
        .values("user_id")
    )
    return User.objects.filter(pk__in=holders, is_active=True).order_by("full_name", "pk")


class DesignerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class PriceField(forms.Field):
    """Whole đồng as people type them. The sign is kept, so that the service says why a negative
    amount is refused; anything else than digits is refused here."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            widget=forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "off",
                    "maxlength": str(PRICE_MAX_LENGTH),
                    "placeholder": "2.500.000",
                }
            ),
            error_messages=REQUIRED,
            **kwargs,
        )

    def to_python(self, value: Any) -> Any:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        digits = text.replace(".", "").replace(" ", "").replace("\u00a0", "")
        negative = digits.startswith("-")
        digits = digits.removeprefix("-")
        if len(text) > PRICE_MAX_LENGTH or not (digits.isascii() and digits.isdecimal()):
            raise forms.ValidationError(_("A whole number of đồng, e.g. 2.500.000."))
        return -int(digits) if negative else int(digits)


def _files_field(label: Any) -> MultipleFileField:
    return MultipleFileField(
        label=label,
        help_text=_("Images (JPEG, PNG, WebP), PDF, SVG, AI or PSD; at most %(n)s files.")
        % {"n": MAX_FILES_PER_UPLOAD},
        error_messages={**REQUIRED, "empty": _("The file is empty."), "invalid": _("Not a file.")},
    )


def _note_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("At most %(limit_value)s characters.")},
    )


class CenterForm(forms.Form):
    """A form whose fields get ids of their own on a page that holds several forms."""

    prefix_name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.prefix_name}-%s")
        super().__init__(*args, **kwargs)


class AcceptForm(CenterForm):
    prefix_name = "accept"

    designer = DesignerChoiceField(
        label=_("Designer"),
        queryset=User.objects.none(),
        empty_label=_("— choose —"),
        error_messages={**REQUIRED, "invalid_choice": _("Not a designer of this center.")},
    )
    due_on = date_field(_("Due date"), required=True)
    price = PriceField(label=_("Agreed price (₫)"))

    def __init__(self, *args: Any, center_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["designer"].queryset = center_designers(center_id)  # type: ignore[attr-defined]


class DeclineForm(CenterForm):
    prefix_name = "decline"

    reason = forms.CharField(
        label=_("Reason"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={**REQUIRED, "max_length": _("At most %(limit_value)s characters.")},
    )


class VersionForm(CenterForm):
    prefix_name = "version"

    note = _note_field(_("Note to the producer"))
    # a declared field leaves the class (the form metaclass takes it), so `Form.files` stays the uploads
    files = _files_field(_("The proposal's files"))  # type: ignore[assignment]


class DeliverForm(CenterForm):
    prefix_name = "deliver"

    note = _note_field(_("Note"))
    # a declared field leaves the class (the form metaclass takes it), so `Form.files` stays the uploads
    files = _files_field(_("The final, print-ready files"))  # type: ignore[assignment]


class ReassignForm(CenterForm):
    prefix_name = "reassign"

    designer = DesignerChoiceField(
        label=_("New designer"),
        queryset=User.objects.none(),
        empty_label=_("— choose —"),
        error_messages={**REQUIRED, "invalid_choice": _("Not a designer of this center.")},
    )
    due_on = date_field(_("New due date (optional)"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("At most %(limit_value)s characters.")},
    )

    def __init__(self, *args: Any, center_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["designer"].queryset = center_designers(center_id)  # type: ignore[attr-defined]


class StateFilterForm(forms.Form):
    """The list's filter: one state, or every one."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *RequestState.choices],
    )
