"""The signed-in user's profile and personal API tokens."""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router, Status

from ocophub.common.api import ERRORS_AUTH, MAX_ID

from . import permissions, services
from .auth import API_AUTH
from .models import ApiToken, User
from .schemas import MeOut, TokenCreated, TokenIn, TokenOut

router = Router(tags=["accounts"], auth=API_AUTH)


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "API_AUTH lets only a signed-in user through"
    return user


@router.get("/me", response={200: MeOut, **ERRORS_AUTH}, summary="Who am I")
def me(request: HttpRequest) -> dict[str, Any]:
    user = _signed_in(request)
    return {
        "id": user.pk,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "roles": [
            {
                "role": grant.role,
                "role_label": str(grant.get_role_display()),
                "unit_code": grant.unit.code if grant.unit else None,
                "unit_name": grant.unit.name if grant.unit else None,
                "scope_id": grant.scope_id,
            }
            for grant in permissions.roles_of(user)
        ],
    }


@router.get("/me/tokens", response={200: list[TokenOut], **ERRORS_AUTH}, summary="My API tokens")
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=_signed_in(request)))


@router.post("/me/tokens", response={201: TokenCreated, **ERRORS_AUTH}, summary="Make an API token")
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    token, raw = services.api_token_create(actor=_signed_in(request), name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.delete(
    "/me/tokens/{token_id}", response={200: TokenOut, **ERRORS_AUTH}, summary="Revoke an API token"
)
def revoke_token(request: HttpRequest, token_id: int = Path(..., ge=1, le=MAX_ID)) -> ApiToken:
    """Revoking someone else's token answers 404, as if it did not exist."""
    return services.api_token_revoke(actor=_signed_in(request), token_id=token_id)
