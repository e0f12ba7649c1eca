"""Log in with an e-mail address or a Vietnamese phone number."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import User
from .phone import normalize_phone


class EmailOrPhoneBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        username = (username or kwargs.get("email") or "").strip()
        if not username or password is None:
            return None
        if "@" in username:
            user = User.objects.filter(email__iexact=username).first()
        else:
            phone = normalize_phone(username)
            user = User.objects.filter(phone=phone).first() if phone else None
        if user is None:
            # spend the same time as a real check, so that timing does not reveal who exists
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
