"""Reads of users and their grants shared by the pages of apps above accounts."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from ocophub.common.text import Folded, search_terms

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


def users_matching(text: str, limit: int) -> list[User]:
    """People whose full name holds every word of `text` folded (diacritics and đ ignored: "nguyen van"
    finds "Nguyễn Văn An"), or whose e-mail address holds `text`; active or not (a trail names people who
    have left); at most `limit`, by name. One query over the users, bounded by `limit`."""
    words = search_terms(text)
    text = (text or "").strip()
    if not words or not text:
        return []
    by_name = Q()
    for word in words:
        by_name &= Q(folded_full_name__contains=word)
    rows = User.objects.annotate(folded_full_name=Folded("full_name")).filter(
        by_name | Q(email__icontains=text)
    )
    return list(rows.order_by("full_name", "pk")[:limit])


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
