from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User


class LoginForm(forms.Form):
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

    def __init__(self, request: HttpRequest, *args: object, **kwargs: object) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        self.user = authenticate(self.request, username=data["username"], password=data["password"])
        if self.user is None:
            raise forms.ValidationError(_("Wrong e-mail/phone number or password."), code="invalid_login")
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80, help_text=_("For example: counter 1 till"))
