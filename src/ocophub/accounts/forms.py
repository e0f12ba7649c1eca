from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ocophub.common.ratelimit import client_address

from . import services
from .models import User
from .phone import normalize_phone


class GuardedLogin:
    """Both login forms: refused while the login or the client address is locked, and every try with
    both fields filled in counted in the database (see services.login_refusal)."""

    request: HttpRequest | None
    data: Any
    errors: Any
    locked = False

    def guarded(self, authenticate_step: Any) -> Any:
        identifier = str(self.data.get("username", ""))
        assert self.request is not None, "both login views pass the request to the form"
        address = client_address(self.request)
        if refusal := services.login_refusal(identifier, ip_address=address):
            self.locked = True
            raise forms.ValidationError(refusal, code="locked")
        try:
            result = authenticate_step()
        except forms.ValidationError:
            if identifier and self.data.get("password"):
                services.login_attempt_record(identifier=identifier, succeeded=False, ip_address=address)
            raise
        if identifier and not self.errors:
            services.login_attempt_record(identifier=identifier, succeeded=True, ip_address=address)
        return result


class LoginForm(GuardedLogin, forms.Form):
    username = forms.CharField(
        label=_("E-mail or phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True, "inputmode": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None, "Form.clean returns cleaned_data"
        if self.errors:
            return data
        return self.guarded(lambda: self._authenticate(data))

    def _authenticate(self, data: dict[str, Any]) -> dict[str, Any]:
        self.user = authenticate(self.request, username=data["username"], password=data["password"])
        if self.user is None:
            raise forms.ValidationError(_("Wrong e-mail/phone number or password."), code="invalid_login")
        return data


class AdminLoginForm(GuardedLogin, AdminAuthenticationForm):
    """The admin site's login, under the same lock as the site's."""

    def clean(self) -> dict[str, Any]:
        if self.errors:  # a field is missing: nothing to try
            return super().clean()
        return self.guarded(super().clean)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80, help_text=_("For example: counter 1 till"))


class SignUpForm(forms.Form):
    """A customer's own account: a name, an e-mail address or a phone number, and a password."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=20,
        help_text=_("An e-mail address, a phone number or both: you log in with either."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None, "Form.clean returns cleaned_data"
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(full_name=data.get("full_name", ""), email=data.get("email") or None)
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class PasswordResetForm(auth_forms.PasswordResetForm):
    """The account's e-mail address (a link is mailed) or its phone number (a code is texted)."""

    email = forms.CharField(
        label=_("E-mail or phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phone: str | None = None

    def clean_email(self) -> str:
        value = str(self.cleaned_data.get("email", "")).strip()
        if "@" in value:
            return str(forms.EmailField(max_length=254).clean(value))
        self.phone = normalize_phone(value)
        if self.phone is None:
            raise forms.ValidationError(
                _("Enter an e-mail address or a Vietnamese phone number."), code="invalid"
            )
        return value


class PhoneResetCodeForm(forms.Form):
    """The code received by text message and the new password, twice."""

    code = forms.RegexField(
        label=_("Code"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None, "Form.clean returns cleaned_data"
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return data
