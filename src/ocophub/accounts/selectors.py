"""Reads of users and their grants shared by the pages of apps above accounts."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import ROLE_SCOPE, Role, RoleGrant, ScopeKind, User
from .phone import normalize_phone

CENTER_ROLES: tuple[str, ...] = tuple(role for role, kind in ROLE_SCOPE.items() if kind == ScopeKind.CENTER)


def center_grants(center_id: int) -> QuerySet[RoleGrant]:
    """The live grants over one center (managers, staff, designers), with who holds and who gave them."""
    return (
        RoleGrant.objects.live()
        .filter(role__in=CENTER_ROLES, scope_id=center_id)
        .select_related("user", "granted_by")
        .order_by("role", "user__full_name", "pk")
    )


def center_grant(center_id: int, grant_id: int, roles: Iterable[str]) -> RoleGrant | None:
    """One live grant over this center, of one of `roles`; None for any other (another center's)."""
    return (
        RoleGrant.objects.live()
        .filter(pk=grant_id, scope_id=center_id, role__in=list(roles))
        .select_related("user")
        .first()
    )


def user_by_login(text: str) -> User | None:
    """The active user whose e-mail address or phone number is exactly `text` (no partial matches)."""
    text = (text or "").strip()
    if not text:
        return None
    if "@" in text:
        return User.objects.filter(email__iexact=text, is_active=True).first()
    phone = normalize_phone(text)
    if phone is None:
        return None
    return User.objects.filter(phone=phone, is_active=True).first()


def center_notice_emails(center_id: int) -> list[str]:
    """The e-mail addresses of the center's managers and staff (who hand online orders over)."""
    emails = (
        RoleGrant.objects.live()
        .filter(
            role__in=[Role.CENTER_MANAGER, Role.CENTER_STAFF],
            scope_id=center_id,
            user__is_active=True,
            user__email__isnull=False,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted({email for email in emails if email})
