"""API authentication: a browser session (with CSRF) or `Authorization: Bearer <token>`.

A write with neither is answered 401 `not_authenticated`: there is no session whose CSRF token could
be missing, so the caller is told to log in or send a token rather than that a CSRF check failed.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth

from ocophub.common.api import AnyCaller
from ocophub.common.errors import DomainError

from .services import api_token_authenticate


class BearerToken(HttpBearer):
    openapi_description = "Personal API token from the account page"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class CsrfRefused(DomainError):
    status = 403
    code = "csrf_failed"


class Session(SessionAuth):
    """The logged-in browser session; unsafe methods also need the CSRF token."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not getattr(request.user, "is_authenticated", False):
            return None  # no session: nothing to check the CSRF token against, not authenticated
        try:
            return super()._get_key(request)
        except HttpError as exc:
            if exc.status_code != 403:
                raise
            raise CsrfRefused(
                _("The page's security token is missing or out of date: reload the page and try again.")
            ) from exc

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


API_AUTH: list[APIKeyCookie | HttpBearer] = [BearerToken(), Session()]


class Anonymous(AnyCaller):
    """Accepts a visitor without credentials: for public reads whose answer depends on who asks."""


# Public reads: a bearer token (or the session, already on request.user) widens what is shown.
PUBLIC_AUTH: list[Any] = [BearerToken(), Anonymous()]
