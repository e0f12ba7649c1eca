"""Input of the center's staff page: whom to grant which role, and why a grant is revoked."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.accounts import selectors as accounts
from ocophub.accounts.models import Role, User
from ocophub.accounts.permissions import CENTER_STAFF_ROLES


class GrantForm(forms.Form):
    """The person is found by their exact e-mail address or phone number, never picked from a list."""

    login = forms.CharField(
        label=gettext_lazy("E-mail or phone number"),
        max_length=254,
        help_text=gettext_lazy("The address or number the person logs in with."),
        error_messages={"required": gettext_lazy("Required."), "max_length": gettext_lazy("Too long.")},
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[(role, Role(role).label) for role in CENTER_STAFF_ROLES],
        error_messages={
            "required": gettext_lazy("Required."),
            "invalid_choice": gettext_lazy("A center manager cannot grant this role."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_login(self) -> User:
        user = accounts.user_by_login(self.cleaned_data["login"])
        if user is None:
            raise forms.ValidationError(_("No account has this e-mail address or phone number."))
        return user


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        error_messages={"required": gettext_lazy("Required."), "max_length": gettext_lazy("Too long.")},
    )
