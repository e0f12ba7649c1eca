"""Writes to accounts: users, role grants, API tokens, login attempts."""

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from ocophub.common.dates import format_datetime
from ocophub.common.errors import Conflict, DomainError, NotFound
from ocophub.common.services import acting_user, change_record_write, json_value
from ocophub.common.sms import send_sms
from ocophub.common.text import fold
from ocophub.places.models import AdministrativeUnit

from . import scopes
from .models import (
    ROLE_SCOPE,
    ApiToken,
    LoginAttempt,
    PhoneResetCode,
    Role,
    RoleGrant,
    ScopeKind,
    User,
    hash_token,
)
from .phone import normalize_phone


def login_key(identifier: str) -> str:
    """The form a login is counted under: the phone number normalised, or the e-mail folded."""
    identifier = (identifier or "").strip()
    if "@" not in identifier and (phone := normalize_phone(identifier)):
        return phone
    return fold(identifier)[:254]


def _failures_in_a_row(rows: list[tuple[bool, dt.datetime]], needed: int) -> dt.datetime | None:
    """The time of the latest of `needed` failures in a row, newest first, else None."""
    if len(rows) < needed or any(succeeded for succeeded, _at in rows[:needed]):
        return None
    return rows[0][1]


def login_locked_until(
    identifier: str, *, ip_address: str | None = None, now: dt.datetime | None = None
) -> dt.datetime | None:
    """When a login stays locked for this client address after LOGIN_MAX_FAILURES failures in a row
    from it, else None.

    The lock is by login *and* address: someone who knows only a login and fails from their own
    address locks that login out for themselves, not for its owner elsewhere.
    """
    now = now or timezone.now()
    window = dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    recent = LoginAttempt.objects.filter(login=login_key(identifier), at__gte=now - window)
    if ip_address is not None:
        recent = recent.filter(ip_address=ip_address)
    rows = list(recent.order_by("-at", "-pk").values_list("succeeded", "at")[: settings.LOGIN_MAX_FAILURES])
    latest = _failures_in_a_row(rows, settings.LOGIN_MAX_FAILURES)
    if latest is None:
        return None
    until = latest + window
    return until if until > now else None


def address_locked_until(ip_address: str | None, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When a client address may log in again after LOGIN_MAX_FAILURES_PER_ADDRESS failed logins,
    whatever logins they named, within LOGIN_LOCK_MINUTES; else None."""
    if not ip_address:
        return None
    now = now or timezone.now()
    window = dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    limit = settings.LOGIN_MAX_FAILURES_PER_ADDRESS
    failures = list(
        LoginAttempt.objects.filter(ip_address=ip_address, succeeded=False, at__gte=now - window)
        .order_by("-at", "-pk")
        .values_list("at", flat=True)[:limit]
    )
    if len(failures) < limit:
        return None
    until = failures[-1] + window  # the oldest of the counted failures leaves the window first
    return until if until > now else None


def login_refusal(identifier: str, *, ip_address: str | None) -> str | None:
    """Why a login may not be tried now from this address, or None. Both login pages ask this first."""
    if until := login_locked_until(identifier, ip_address=ip_address):
        return _("Too many failed logins. This login is locked until %(time)s.") % {
            "time": format_datetime(until)
        }
    if until := address_locked_until(ip_address):
        return _("Too many failed logins from this address. Try again after %(time)s.") % {
            "time": format_datetime(until)
        }
    return None


def login_attempt_record(*, identifier: str, succeeded: bool, ip_address: str | None) -> None:
    with transaction.atomic():
        LoginAttempt.objects.create(login=login_key(identifier), succeeded=succeeded, ip_address=ip_address)


def user_create(
    *,
    actor: Any,
    full_name: str,
    email: str | None = None,
    phone: str | None = None,
    password: str | None = None,
    is_staff: bool = False,
) -> User:
    """Create a user who logs in by e-mail or by phone number (at least one of them)."""
    fields: dict[str, str] = {}
    email = (email or "").strip().lower() or None
    normalized = normalize_phone(phone) if phone else None
    if phone and not normalized:
        fields["phone"] = _("Invalid phone number.")
    if not email and not phone:
        fields["email"] = _("An e-mail address or a phone number is needed.")
    if not full_name.strip():
        fields["full_name"] = _("A full name is needed.")
    if email and User.objects.filter(email__iexact=email).exists():
        fields["email"] = _("This e-mail address is already in use.")
    if normalized and User.objects.filter(phone=normalized).exists():
        fields["phone"] = _("This phone number is already in use.")
    if fields:
        raise DomainError(_("The user could not be created."), fields=fields)
    with transaction.atomic():
        return User.objects.create_user(
            email=email, phone=normalized, password=password, full_name=full_name.strip(), is_staff=is_staff
        )


def customer_sign_up(*, full_name: str, email: str | None, phone: str | None, password: str) -> User:
    """A visitor makes their own account: a user with the customer role, or nothing at all."""
    with transaction.atomic():
        user = user_create(actor=None, full_name=full_name, email=email, phone=phone, password=password)
        role_grant(actor=user, user=user, role=Role.CUSTOMER)
    return user


def _forget_grants(user: Any) -> None:
    """Drop the grants a permission check cached on this user object."""
    if hasattr(user, "_ocophub_grants"):
        del user._ocophub_grants


def role_grant(
    *, actor: Any, user: User, role: str, unit: AdministrativeUnit | None = None, scope_id: int | None = None
) -> RoleGrant:
    """Grant a role over the scope that role needs: a unit, or a center, producer or operator that
    exists (checked through the resolver its app registered). Granting a live grant again keeps
    the one row; after a revocation the role may be granted anew."""
    kind = ROLE_SCOPE.get(role)
    if kind is None:
        raise DomainError(_("No such role."), fields={"role": _("No such role.")})
    if kind == ScopeKind.UNIT and unit is None:
        raise DomainError(_("This role needs an administrative unit."), fields={"unit": _("Required.")})
    referenced = kind in scopes.referenced_kinds()
    if referenced and scope_id is None:
        raise DomainError(_("This role needs a scope."), fields={"scope_id": _("Required.")})
    if kind != ScopeKind.UNIT:
        unit = None
    if not referenced:
        scope_id = None
    if referenced and scope_id is not None and not scopes.resolves(kind, scope_id):
        message = _("No %(kind)s has the id %(id)s.") % {"kind": ScopeKind(kind).label, "id": scope_id}
        raise DomainError(message, fields={"scope_id": message}, code="unknown_scope")
    with transaction.atomic():
        grant, created = RoleGrant.objects.live().get_or_create(
            user=user, role=role, unit=unit, scope_id=scope_id, defaults={"granted_by": acting_user(actor)}
        )
        if created:
            change_record_write(
                actor=actor,
                obj=grant,
                changes={
                    "user": [None, json_value(user)],
                    "role": [None, role],
                    "scope": [None, {"id": unit.pk if unit else scope_id, "label": grant.scope_label}]
                    if (unit or scope_id)
                    else [None, None],
                },
            )
    _forget_grants(user)
    return grant


def role_grant_revoke(*, actor: Any, grant: RoleGrant, reason: str) -> RoleGrant:
    """Revoke a grant at once: its row stays, with who revoked it, when and why, and no permission
    check counts it any more (sessions and API tokens included, from their next request)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the revocation."), fields={"reason": _("Required.")})
    now = timezone.now()
    with transaction.atomic():
        moved = RoleGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=acting_user(actor), revoke_reason=reason, updated_at=now
        )
        if moved != 1:
            raise Conflict(_("This grant is already revoked."))
        change_record_write(
            actor=actor, obj=grant, changes={"revoked_at": [None, now.isoformat()]}, note=reason
        )
    grant.refresh_from_db()
    _forget_grants(grant.user)
    return grant


def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Make a personal token. Returns the row and the raw token, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name."), fields={"name": _("Required.")})
    if len(name) > 80:
        raise DomainError(_("The name is too long."), fields={"name": _("At most 80 characters.")})
    raw = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=actor, name=name, prefix=raw[:12], digest=hash_token(raw))
    return token, raw


def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens; anyone else's is reported missing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
        if token is None:
            raise NotFound(_("API token not found."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or None when it is unknown or revoked."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # at most one write a minute per token, whatever the request rate
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class ResetCodeRefused(DomainError):
    """A password-reset code that does not open the reset: wrong, used, expired or dead."""

    status = 400
    code = "reset_code_refused"


def _reset_digest(user_id: int, code: str) -> str:
    return salted_hmac("ocophub.accounts.phone_reset", f"{user_id}:{code}", algorithm="sha256").hexdigest()


def _reset_user(phone: str) -> User | None:
    normalized = normalize_phone(phone)
    return User.objects.filter(phone=normalized, is_active=True).first() if normalized else None


def phone_reset_code_send(*, phone: str) -> None:
    """Send a 6-digit password-reset code by text message to the active account with this phone.

    Says nothing either way (the caller answers alike whether the phone has an account). The new code
    ends the account's older ones; the text goes out once the code is stored.
    """
    user = _reset_user(phone)
    if user is None or not user.phone:
        return
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    minutes = settings.PHONE_RESET_CODE_MINUTES
    with transaction.atomic():
        PhoneResetCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        PhoneResetCode.objects.create(
            user=user,
            digest=_reset_digest(user.pk, code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=minutes),
        )
        text = _(
            "OCOP Hub: your password reset code is %(code)s. It works for %(minutes)s minutes. "
            "Never tell it to anyone."
        ) % {"code": code, "minutes": minutes}
        to = user.phone
        transaction.on_commit(lambda: send_sms(to, text))


def phone_reset_code_use(*, phone: str, code: str, password: str) -> User:
    """Set a new password with the code sent to the phone: once, before it expires, and only while
    fewer than PHONE_RESET_CODE_MAX_TRIES wrong codes were tried against it.

    A wrong code counts against the account's live code and changes nothing else. A phone without an
    account gets the same answer as a wrong code. The right code of a used, expired or dead row is
    told as such (only someone who received the code learns that the account exists).
    """
    user = _reset_user(phone)
    code = (code or "").strip()
    now = timezone.now()
    max_tries = settings.PHONE_RESET_CODE_MAX_TRIES
    wrong = ResetCodeRefused(
        _("The code is wrong."), fields={"code": _("The code is wrong.")}, code="wrong_code"
    )
    if user is None:
        raise wrong
    rows = list(PhoneResetCode.objects.filter(user=user, created_at__gte=now - dt.timedelta(days=1))[:10])
    digest = _reset_digest(user.pk, code)
    match = next((row for row in rows if constant_time_compare(row.digest, digest)), None)
    if match is None:
        live = [r for r in rows if r.used_at is None and r.expires_at > now and r.wrong_tries < max_tries]
        if live:
            with transaction.atomic():
                PhoneResetCode.objects.filter(pk=live[0].pk, used_at__isnull=True).update(
                    wrong_tries=F("wrong_tries") + 1
                )
        raise wrong
    ask_again = _("Ask for a new code.")
    if match.used_at is not None:
        raise ResetCodeRefused(
            _("This code has already been used. Ask for a new code."),
            fields={"code": ask_again},
            code="code_used",
        )
    if match.wrong_tries >= max_tries:
        raise ResetCodeRefused(
            _("Too many wrong codes were tried: this code no longer works. Ask for a new code."),
            fields={"code": ask_again},
            code="code_dead",
        )
    if match.expires_at <= now:
        raise ResetCodeRefused(
            _("This code has expired or was replaced by a newer one. Ask for a new code."),
            fields={"code": ask_again},
            code="code_expired",
        )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise DomainError(
            _("Choose another password."), fields={"new_password1": " ".join(error.messages)}
        ) from error
    with transaction.atomic():
        taken = PhoneResetCode.objects.filter(
            pk=match.pk, used_at__isnull=True, wrong_tries__lt=max_tries, expires_at__gt=now
        ).update(used_at=now)
        if taken != 1:
            raise ResetCodeRefused(
                _("This code has already been used. Ask for a new code."),
                fields={"code": ask_again},
                code="code_used",
            )
        PhoneResetCode.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
        user.set_password(password)
        user.save(update_fields=["password"])
    return user
