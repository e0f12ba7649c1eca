"""API authentication: a browser session (with CSRF) or `Authorization: Bearer <token>`."""

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth

from .services import api_token_authenticate


class BearerToken(HttpBearer):
    openapi_description = "Personal API token from the account page"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """The logged-in browser session; unsafe methods also need the CSRF token."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


API_AUTH: list[APIKeyCookie | HttpBearer] = [BearerToken(), Session()]


def anonymous(request: HttpRequest) -> bool:
    """Accepts a visitor without credentials: for public reads whose answer depends on who asks."""
    return True


# Public reads: a bearer token (or the session, already on request.user) widens what is shown.
PUBLIC_AUTH: list[Any] = [BearerToken(), anonymous]
